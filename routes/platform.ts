/**
 * The platform host: the merchant API under `/api/v1`, the web admin's pages, the CLI bundle and
 * the island bundles `deno task build` made, and the platform's health. Loaded by server.ts on the first platform
 * request, never at start (DESIGN "Cold start").
 */
import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { Config } from "../config.ts";
import { SWITCHYARD_VERSION } from "../edge/reserved.ts";
import { pingKv } from "../kv/open.ts";
import { BUILD_URL_PREFIX, type BuildOutput, serveBuilt } from "../lib/build_output.ts";
import { type Logger, requestIdOf } from "../lib/log.ts";
import { adminRoutes } from "./admin/mod.ts";
import { apiApp } from "./api/mod.ts";
import { authRoutes } from "./auth/mod.ts";
import type { PlatformBindings } from "./auth/cookie.ts";
import { API_DOCS_INIT_PATH, API_DOCS_PATH, apiDocsInit, apiDocsPage } from "./api_docs.ts";
import { errorHandler, notFound } from "./errors.ts";
import { createShopApi } from "./shop/mod.ts";
import { isShopperToken } from "../kv/shopper_tokens.ts";
import { clientAddress, proxyCountry } from "../edge/forwarded.ts";
import type { PaymentGateway } from "../commerce/gateway.ts";

/** Whether a platform request is a shopper's: the token call, or a limited token's call. */
function isShopperRequest(request: Request, path: string): boolean {
  if (path === "/api/v1/auths/limited") return true;
  const header = request.headers.get("authorization") ?? "";
  return /^Bearer\s+/i.test(header) && isShopperToken(header.replace(/^Bearer\s+/i, ""));
}

export interface PlatformOptions {
  build: BuildOutput | null;
  log: Logger;
  /** Settles once the start-up chores the platform relies on have run (see server.ts). */
  ready?: () => Promise<void>;
  /** The shopper API's payment gateway (server.ts SwitchyardOptions). */
  gateway?: PaymentGateway;
}

export type Platform = Hono<{ Bindings: PlatformBindings; Variables: { requestId: string } }>;

export function createPlatform(kv: Deno.Kv, config: Config, options: PlatformOptions): Platform {
  const { build, log, ready } = options;
  const app: Platform = new Hono();
  // Taken before anything can replace `c.req.raw`, so an error line has the request line's id.
  app.use("*", (c, next) => {
    c.set("requestId", requestIdOf(c.req.raw));
    return next();
  });
  // Every platform answer, errors included: nothing is sniffed, framed, or leaks its URL to
  // another origin; a page that needs more (the API reference, routes/api_docs.ts) sets its own CSP
  // first.
  app.use(
    "*",
    secureHeaders({
      contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
      referrerPolicy: "strict-origin-when-cross-origin",
      xFrameOptions: "DENY",
      // HSTS is the TLS terminator's to send: on plain-http localhost it means nothing.
      strictTransportSecurity: false,
      overwrite: false,
    }),
  );
  // After the headers, so its refusal carries them: a chore still failing (say KV was
  // unreachable at start) is a 503 `starting` from errorHandler, with Retry-After.
  app.use("*", async (_c, next) => {
    await ready?.();
    await next();
  });
  // Before the API, whose routes all want a token: the reference is for people without one yet.
  app.get(API_DOCS_PATH, (c) => apiDocsPage(c, build));
  app.get(API_DOCS_INIT_PATH, apiDocsInit);
  // The shopper API shares `/api/v1` with the merchant API here: a limited token (`syl_`) or
  // the token call itself goes to it, an API token (`sy_`) to the merchant API
  // (docs/ARCHITECTURE.md "Commerce").
  const shop = createShopApi(kv, config, log, options.gateway);
  app.use(
    "/api/v1/*",
    (c, next) =>
      isShopperRequest(c.req.raw, c.req.path)
        ? shop.fetch(c.req.raw, null, {
          client: clientAddress(c.req.raw, c.env?.info, config.trustedProxy),
          country: proxyCountry(c.req.raw, c.env?.info, config.trustedProxy),
        })
        : next(),
  );
  app.route("/api/v1", apiApp(kv, config, log));
  app.route("/auth", authRoutes(kv, config, log));
  // The web admin's pages (routes/admin/); `GET /` is its dashboard for a browser only, so a
  // JSON client still gets the index below.
  app.route("/", adminRoutes(kv, config, build, log));
  app.get("/", (c) =>
    c.json({
      name: "Switchyard",
      api: "/api/v1",
      openapi: "/api/v1/openapi.json",
      docs: API_DOCS_PATH,
      cli: "/cli.js",
      health: "/_switchyard/health",
    }));
  app.get("/cli.js", (c) => serveBuilt(c.req.raw, build, build?.manifest.cli ?? "cli.js"));
  app.get(
    `${BUILD_URL_PREFIX}*`,
    (c) => serveBuilt(c.req.raw, build, c.req.path.slice(BUILD_URL_PREFIX.length)),
  );
  app.get("/_switchyard/health", async (c) => {
    const kvOk = await pingKv(kv);
    return c.json(
      {
        status: kvOk ? "ok" : "unavailable",
        version: SWITCHYARD_VERSION,
        region: Deno.env.get("DENO_REGION") ?? null,
        kv: kvOk ? "ok" : "unreachable",
        build: build ? build.manifest.built_at : null,
      },
      kvOk ? 200 : 503,
      { "cache-control": "no-store" },
    );
  });
  app.onError(errorHandler(log));
  app.notFound(notFound);
  return app;
}
