/**
 * Paths Switchyard answers on every app host, whatever the package holds (DESIGN "Edge"):
 * `/_switchyard/*` (health, preview entry and exit) before a version is selected, and the
 * injected `/settings/*`, `/analytics/*` and the shopper events API after it.
 */
import { countLinkVisit, findLinkByToken, linkState } from "../kv/links.ts";
import type { EdgeContext, EdgeDeps } from "./context.ts";
import { jsonResponse } from "./pages.ts";
import { jsonError, notFoundJson } from "./errors.ts";
import { addressSubject, LIMITS, takeLimit } from "../kv/rate_limits.ts";
import { RateLimitedError } from "../lib/errors.ts";
import { clearPreviewCookie, linkProblemPage, PREVIEW_HEADERS, previewCookie } from "./preview.ts";
import { CONVERSION_JS, PAGEVIEW_JS, settingsFile, textFile } from "./injected.ts";
import { recordEvent } from "./events.ts";
import { pageVersion } from "./page_version.ts";
import { resolvedSettings } from "./resolved_settings.ts";
import { accountSettings } from "./account_settings.ts";
import { sessionSwitchScript, shopperRequest } from "./shopper.ts";
import { rawSearch } from "./paths.ts";
import { clientAddress, requestIsHttps } from "./forwarded.ts";
import type { Site } from "./sites.ts";

export const SWITCHYARD_VERSION = "0.1.0";

/**
 * Counts one test-link opening against the client's address (in KV, so every region counts
 * together); the 429 answer when its budget is spent, else null. Only this path counts: a
 * shopper's requests, and a preview's once its cookie is set, read no limit.
 */
async function openingRefused(
  request: Request,
  info: Deno.ServeHandlerInfo | undefined,
  deps: EdgeDeps,
): Promise<Response | null> {
  const address = clientAddress(request, info, deps.config.trustedProxy);
  try {
    await takeLimit(deps.kv, LIMITS.testLinkOpens, addressSubject(address), deps.config.now());
    return null;
  } catch (error) {
    if (!(error instanceof RateLimitedError)) throw error;
    return jsonError("rate_limited", error.code, error.message, [
      ["retry-after", String(error.retryAfter)],
    ]);
  }
}

async function openPreview(
  request: Request,
  info: Deno.ServeHandlerInfo | undefined,
  site: Site,
  deps: EdgeDeps,
): Promise<Response> {
  const refused = await openingRefused(request, info, deps);
  if (refused) return refused;
  const https = requestIsHttps(request, info, deps.config.trustedProxy);
  const app = site.app!;
  const token = new URLSearchParams(rawSearch(request.url)).get("token") ?? "";
  const link = await findLinkByToken(deps.kv, token);
  if (!link || link.app_id !== app.id) return linkProblemPage("invalid");
  const now = deps.config.now();
  // A link outlives its version's deletion (revoked, the record stays for the merchant's list):
  // the page says why it no longer opens, which is more use than "revoked".
  if (await deps.state.versionFiles(app, link.version, site) === null) {
    return linkProblemPage("deleted");
  }
  const state = linkState(link, now);
  if (state !== "valid") return linkProblemPage(state);
  await countLinkVisit(deps.kv, link);
  const maxAge = Math.max(1, Math.floor((Date.parse(link.expires_at) - now) / 1000));
  const cookie = previewCookie(await deps.signer.cookieValue(link), https, maxAge);
  return new Response(null, {
    status: 303,
    headers: [["location", "/"], ["set-cookie", cookie], ...PREVIEW_HEADERS],
  });
}

function exitPreview(https: boolean): Response {
  return new Response(null, {
    status: 303,
    headers: [
      ["location", "/"],
      ["set-cookie", clearPreviewCookie(https)],
      ...PREVIEW_HEADERS,
    ],
  });
}

/** True for a path Switchyard answers after selecting a version, whatever the package holds. */
export function isInjected(raw: string): boolean {
  return raw.startsWith("/settings/") || raw.startsWith("/analytics/") ||
    raw.startsWith("/api/v1/");
}

/**
 * `/_switchyard/*`: answered before a version is selected (health, preview entry and exit).
 * Nothing here (or after selection) parses `request.url` with `new URL`: its authority is the
 * client's Host header, which may not parse (`shop.example:abc`), and the raw path and query
 * are all these answers need.
 */
async function beforeSelection(
  request: Request,
  info: Deno.ServeHandlerInfo | undefined,
  raw: string,
  site: Site,
  deps: EdgeDeps,
) {
  if (raw === "/_switchyard/health") {
    return jsonResponse(200, {
      status: "ok",
      version: SWITCHYARD_VERSION,
      region: Deno.env.get("DENO_REGION") ?? null,
    });
  }
  const { trustedProxy } = deps.config;
  if (raw === "/_switchyard/preview") {
    return await openPreview(request, info, site, deps);
  }
  if (raw === "/_switchyard/preview/exit") {
    return exitPreview(requestIsHttps(request, info, trustedProxy));
  }
  return notFoundJson(`No such Switchyard path: "${raw}"`);
}

const SETTINGS_PATH = /^\/settings\/(app|style|account)\.(js|json)$/;

async function afterSelection(ctx: EdgeContext): Promise<Response> {
  const { raw: path, deps } = ctx;
  const extra = ctx.mode.headers;
  if (path.startsWith("/settings/")) return await settingsPath(ctx);
  if (path === "/analytics/pageview.js") return textFile(PAGEVIEW_JS, "text/javascript", extra);
  if (path === "/analytics/conversion.js") return textFile(CONVERSION_JS, "text/javascript", extra);
  if (path.startsWith("/analytics/")) {
    return notFoundJson(`No such analytics file: "${path}"`);
  }
  if (path === "/api/v1/events") {
    return await recordEvent(ctx, await pageVersion(ctx));
  }
  // `/api/v1/*` belongs to Switchyard on every app host: the shopper API, loaded on first use;
  // never the package's files, never the SPA fallback's index.html.
  if (deps.shopperApi) return await shopperRequest(ctx, deps.shopperApi);
  return notFoundJson(`No such endpoint on an app host: "${path}"`);
}

/**
 * `/settings/*`: account.js from the account alone; the app's files from its stored settings
 * (and, for app and style, the schema of the version the shopper sees).
 */
async function settingsPath(ctx: EdgeContext): Promise<Response> {
  const { raw: path, deps } = ctx;
  const extra = ctx.mode.headers;
  const match = SETTINGS_PATH.exec(path);
  if (match) {
    const [, name, format] = match as unknown as [
      string,
      "app" | "style" | "account",
      "js" | "json",
    ];
    if (name === "account") {
      // account.js first drops a Comecero session of the other mode (edge/shopper.ts).
      const before = sessionSwitchScript(ctx.mode.name === "test");
      return settingsFile(name, format, await accountSettings(ctx), extra, before);
    }
    const stored = await deps.state.settings.get(ctx.app.id, ctx.now);
    return settingsFile(
      name,
      format,
      resolvedSettings(stored, await versionConfig(ctx))[name],
      extra,
    );
  }
  const stored = await deps.state.settings.get(ctx.app.id, ctx.now);
  if (path === "/settings/script.js") return textFile(stored.script, "text/javascript", extra);
  if (path === "/settings/style.css") return textFile(stored.css, "text/css", extra);
  return notFoundJson(`No such settings file: "${path}"`);
}

/** The settings schema of the selected version (a preview sees its own version's fields). */
async function versionConfig(ctx: EdgeContext) {
  const { state } = ctx.deps;
  const files = ctx.version ? await state.versionFiles(ctx.app, ctx.version, ctx.site) : null;
  return files?.record.config ?? null;
}

export const reservedPath = { beforeSelection, afterSelection };
