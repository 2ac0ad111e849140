/**
 * Paths Switchyard answers on every app host, whatever the package holds (DESIGN "Edge"):
 * `/_switchyard/*` (health, preview entry and exit) before a version is selected, and the
 * injected `/settings/*`, `/analytics/*` and the shopper events API after it.
 */
import type { Config } from "../config.ts";
import type { App } from "../kv/apps.ts";
import { countLinkVisit, findLinkByToken, linkState } from "../kv/links.ts";
import { resolveSettings } from "../kv/settings.ts";
import type { EdgeContext } from "./context.ts";
import type { EdgeState } from "./state.ts";
import type { Counters } from "./counters.ts";
import { jsonResponse } from "./pages.ts";
import {
  clearPreviewCookie,
  linkProblemPage,
  PREVIEW_HEADERS,
  previewCookie,
  type PreviewSigner,
} from "./preview.ts";
import { CONVERSION_JS, PAGEVIEW_JS, settingsFile, textFile } from "./injected.ts";
import { recordEvent } from "./events.ts";
import { pinHolds, pinnedVersion } from "./skew.ts";

export const SWITCHYARD_VERSION = "0.1.0";

export interface EdgeDeps {
  kv: Deno.Kv;
  config: Config;
  state: EdgeState;
  counters: Counters;
  signer: PreviewSigner;
}

async function openPreview(url: URL, app: App, deps: EdgeDeps): Promise<Response> {
  const token = url.searchParams.get("token") ?? "";
  const link = await findLinkByToken(deps.kv, token);
  if (!link || link.app_id !== app.id) return linkProblemPage("invalid");
  const now = deps.config.now();
  const state = linkState(link, now);
  if (state !== "valid") return linkProblemPage(state);
  await countLinkVisit(deps.kv, link);
  const maxAge = Math.max(1, Math.floor((Date.parse(link.expires_at) - now) / 1000));
  return new Response(null, {
    status: 303,
    headers: [
      ["location", "/"],
      ["set-cookie", previewCookie(await deps.signer.cookieValue(link), url, maxAge)],
      ...PREVIEW_HEADERS,
    ],
  });
}

function exitPreview(url: URL): Response {
  return new Response(null, {
    status: 303,
    headers: [["location", "/"], ["set-cookie", clearPreviewCookie(url)], ...PREVIEW_HEADERS],
  });
}

/** True for a path Switchyard answers after selecting a version, whatever the package holds. */
export function isInjected(raw: string): boolean {
  return raw.startsWith("/settings/") || raw.startsWith("/analytics/") ||
    raw.startsWith("/api/v1/");
}

/** `/_switchyard/*`: answered before a version is selected (health, preview entry and exit). */
async function beforeSelection(request: Request, raw: string, app: App, deps: EdgeDeps) {
  if (raw === "/_switchyard/health") {
    return jsonResponse(200, {
      status: "ok",
      version: SWITCHYARD_VERSION,
      region: Deno.env.get("DENO_REGION") ?? null,
    });
  }
  const url = new URL(request.url);
  if (raw === "/_switchyard/preview") return await openPreview(url, app, deps);
  if (raw === "/_switchyard/preview/exit") return exitPreview(url);
  return jsonResponse(404, {
    error: { code: "not_found", message: `No such Switchyard path: "${url.pathname}"` },
  });
}

const SETTINGS_PATH = /^\/settings\/(app|style|account)\.(js|json)$/;

async function afterSelection(
  request: Request,
  path: string,
  ctx: EdgeContext,
  deps: EdgeDeps,
): Promise<Response> {
  const url = new URL(request.url);
  const extra = ctx.mode === "test" ? PREVIEW_HEADERS : [];
  if (path.startsWith("/settings/")) {
    const match = SETTINGS_PATH.exec(path);
    const stored = await deps.state.settings.get(ctx.app.id);
    if (match) {
      const [, name, format] = match as unknown as [
        string,
        "app" | "style" | "account",
        "js" | "json",
      ];
      const value = name === "account"
        ? await accountSettings(url, ctx, deps)
        : resolveSettings(stored, await versionConfig(ctx, deps))[name];
      return settingsFile(name, format, value, extra);
    }
    if (path === "/settings/script.js") return textFile(stored.script, "text/javascript", extra);
    if (path === "/settings/style.css") return textFile(stored.css, "text/css", extra);
    return jsonResponse(404, {
      error: { code: "not_found", message: `No such settings file: "${url.pathname}"` },
    });
  }
  if (path === "/analytics/pageview.js") return textFile(PAGEVIEW_JS, "text/javascript", extra);
  if (path === "/analytics/conversion.js") return textFile(CONVERSION_JS, "text/javascript", extra);
  if (path.startsWith("/analytics/")) {
    return jsonResponse(404, {
      error: { code: "not_found", message: `No such analytics file: "${url.pathname}"` },
    });
  }
  if (path === "/api/v1/events") {
    const version = await pageVersion(ctx, deps);
    return await recordEvent(request, url, { ...ctx, version }, deps.counters, deps.config.now());
  }
  // `/api/v1/*` belongs to Switchyard on every app host (the shopper API comes here): never the
  // package's files, never the SPA fallback's index.html.
  return jsonResponse(404, {
    error: { code: "not_found", message: `No such endpoint on an app host: "${url.pathname}"` },
  });
}

/**
 * The version whose page sends an event: the one the shopper is pinned to (their page came
 * from it), else the selected one — so a beacon sent after a switch counts for the right page.
 */
async function pageVersion(ctx: EdgeContext, deps: EdgeDeps): Promise<number> {
  const pinned = ctx.mode === "live" ? pinnedVersion(ctx.cookie) : null;
  if (pinned === null || pinned.version === ctx.version) return ctx.version;
  const files = await deps.state.versionFiles(ctx.app, pinned.version);
  return files && pinHolds(files.pin, pinned.value) ? pinned.version : ctx.version;
}

/** The settings schema of the selected version (a preview sees its own version's fields). */
async function versionConfig(ctx: EdgeContext, deps: EdgeDeps) {
  const files = ctx.version ? await deps.state.versionFiles(ctx.app, ctx.version) : null;
  return files?.record.config ?? null;
}

async function accountSettings(url: URL, ctx: EdgeContext, deps: EdgeDeps) {
  const account = await deps.state.accounts.get(ctx.app.account_id);
  return {
    account_id: ctx.app.account_id,
    company_name: account?.name ?? null,
    currencies: account?.currencies ?? ["USD"],
    test: ctx.mode === "test",
    api_host: url.host,
    app: ctx.app.slug,
    version: ctx.version || null,
  };
}

export const reservedPath = { beforeSelection, afterSelection };
