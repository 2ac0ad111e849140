/**
 * The merchant API under `/api/v1`: bearer-token auth in front of every route except the
 * OpenAPI document, then the resource routers.
 */
import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import { authenticate } from "../../kv/accounts.ts";
import { TooLargeError, UnauthenticatedError } from "../../lib/errors.ts";
import type { Config } from "../../config.ts";
import { errorHandler, notFound } from "../errors.ts";
import type { Logger } from "../../lib/log.ts";
import { bodyLimit } from "hono/body-limit";
import { type ApiEnv, apiRouter } from "./env.ts";
import { apps } from "./apps.ts";
import { versions } from "./versions.ts";
import { live } from "./live.ts";
import { tokens } from "./tokens.ts";
import { links } from "./links.ts";
import { settings } from "./settings.ts";
import { versionDiff } from "./version_diff.ts";
import { account } from "./account.ts";
import { invitations } from "./invitations.ts";
import { me } from "./me.ts";
import { stats } from "./stats.ts";
import { catalog } from "./catalog.ts";
import { shoppingOptions } from "./shopping_options.ts";
import { orders } from "./orders.ts";
import { audit } from "./audit.ts";
import { assertEveryEndpointNeeds, documentRefusals } from "./permission.ts";
import { assertSameOrigin, sessionPrincipal } from "../auth/session.ts";
import { checkBadTokens, noteBadToken } from "../auth/limits.ts";

/**
 * Whether an endpoint answers this method and path; middleware alone (registered for every
 * method as `ALL`) does not count. A path no endpoint has is a 404 whatever the credentials:
 * the token check must not make a typo look like a bad token.
 */
function isEndpoint(c: Context): boolean {
  return matchedRoutes(c).some((route) => route.method !== "ALL");
}

/**
 * Every endpoint needs a caller: an API token (`Authorization: Bearer`), else the admin's session
 * cookie, which acts only for requests from our own pages (`assertSameOrigin`). A request that
 * sends a token is judged by the token alone, cookie or not.
 */
const requireCaller: MiddlewareHandler<ApiEnv> = async (c, next) => {
  if (!isEndpoint(c)) return await next();
  const header = c.req.header("authorization");
  if (header === undefined) {
    const signedIn = await sessionPrincipal(c);
    if (!signedIn) throw new UnauthenticatedError();
    assertSameOrigin(c);
    c.set("principal", signedIn.principal);
    return await next();
  }
  // An address that sent too many bad tokens is refused before this one is hashed.
  await checkBadTokens(c);
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) {
    await noteBadToken(c);
    throw new UnauthenticatedError();
  }
  const principal = await authenticate(c.get("kv"), match[1], c.get("config").now());
  if (!principal) {
    await noteBadToken(c);
    throw new UnauthenticatedError("The API token is unknown, revoked or expired");
  }
  c.set("principal", principal);
  await next();
};

/** JSON bodies are small, except a manifest (20,000 files of path, hash and size). */
const JSON_LIMIT = 1024 * 1024;
const MANIFEST_LIMIT = 16 * 1024 * 1024;
const MANIFEST_PATH = /^\/api\/v1\/apps\/[^/]+\/versions$/;

/**
 * Refuses a JSON body past its limit while it streams in (Content-Length or not). Archives and
 * blobs are not JSON: their own readers count every byte against the package limits.
 */
const limitJson: MiddlewareHandler<ApiEnv> = (c, next) => {
  const type = c.req.header("content-type") ?? "";
  if (!/json/i.test(type)) return next();
  const maxSize = c.req.method === "POST" && MANIFEST_PATH.test(c.req.path)
    ? MANIFEST_LIMIT
    : JSON_LIMIT;
  return bodyLimit({
    maxSize,
    // Thrown, not answered: the API's error handler writes every error body.
    onError: () => {
      throw new TooLargeError(`JSON body is larger than ${maxSize} bytes`);
    },
  })(c, next);
};

/** The OpenAPI document's own fields; the operations come from the routes. */
const DOCUMENT = {
  openapi: "3.1.0",
  info: {
    title: "Switchyard API",
    version: "1",
    description: "Host storefront apps: install versions, test them, switch live traffic. " +
      "Every call needs `Authorization: Bearer <token>` (an API token: the first start of " +
      "the platform prints one; `POST /tokens` makes more), except this document and its " +
      "rendering at `/api/v1/docs`. Each operation's `x-permission` is what it needs: `read`, " +
      "`deploy`, `manage` or `owner`; a token's scope grants `read` (`read`), `read` and " +
      "`deploy` (`deploy`) or all four (`full`), and a token without the permission is " +
      "answered 403. A member's role grants all four (`owner`), all but `owner` (`developer`) " +
      "or `read` (`analyst`); a token acts with the lesser of its scope and its maker's role " +
      "now, and the admin's session cookie (same-origin requests only) with the person's " +
      "role. An address that sends too many invalid tokens (30 in 10 minutes) is " +
      "answered 429 `too_many_bad_tokens`, with `Retry-After`, until its window ends. " +
      "An error answers an `error` object with a stable `code`, " +
      "a `message` for a person and, where they help, `details`; lists are `items` and " +
      "`next_cursor`, newest first unless the operation says otherwise.",
  },
  servers: [{ url: "/api/v1" }],
  security: [{ bearer: [] }],
};

type ApiRouter = ReturnType<typeof apiRouter>;

/** The resource routers, and the auth scheme they all use. */
function addRoutes(api: ApiRouter): void {
  api.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
  });
  api.route("/", apps);
  api.route("/", versions);
  api.route("/", live);
  api.route("/", tokens);
  api.route("/", links);
  api.route("/", settings);
  api.route("/", versionDiff);
  api.route("/", account);
  api.route("/", invitations);
  api.route("/", me);
  api.route("/", stats);
  api.route("/", catalog);
  api.route("/", shoppingOptions);
  api.route("/", orders);
  api.route("/", audit);
  documentRefusals(api.openAPIRegistry.definitions);
}

/** The document `/api/v1/openapi.json` serves, made without a server (for `deno task docs`). */
export function openApiDocument(): ReturnType<ApiRouter["getOpenAPI31Document"]> {
  const api = apiRouter();
  addRoutes(api);
  return api.getOpenAPI31Document(DOCUMENT);
}

export function apiApp(kv: Deno.Kv, config: Config, log: Logger) {
  const api = apiRouter();
  api.use("*", async (c, next) => {
    c.set("kv", kv);
    c.set("config", config);
    c.set("log", log);
    await next();
  });
  api.doc31("/openapi.json", DOCUMENT);
  // The API's answers are one merchant's data, and some carry secrets (a token, a link's URL):
  // no cache along the way may keep any of them unless a route says otherwise.
  api.use("*", async (c, next) => {
    await next();
    if (!c.res.headers.has("cache-control")) c.res.headers.set("cache-control", "no-store");
  });
  // What is registered before the token check (the document) answers anyone; everything after
  // needs a token and must declare the permission it needs.
  const publicRoutes = api.routes.length;
  api.use("*", requireCaller);
  api.use("*", limitJson);
  addRoutes(api);
  assertEveryEndpointNeeds(api.routes.slice(publicRoutes));
  api.onError(errorHandler(log));
  api.notFound(notFound);
  return api;
}
