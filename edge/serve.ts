/**
 * Which file answers a request to the selected version (DESIGN "Edge"): the fast table first
 * (one map lookup for every file, directory index and clean URL), else the full lookup —
 * decode once, `switchyard.json` redirects, files, clean URLs, the directory redirect, the SPA
 * fallback for extensionless navigations, skew protection for hashed assets, and the 404.
 * HTML pages answered to a navigation are counted and pin the shopper to their version.
 */
import { type Answer, then } from "./answer.ts";
import type { Serving } from "./context.ts";
import {
  type EdgeFile,
  isHashedName,
  prepare,
  uncachedHeaders,
  type VersionFiles,
} from "./version_files.ts";
import type { Loaded } from "./state.ts";
import { isExtensionless, rawSearch, resolvePath } from "./paths.ts";
import { badRequestPage, methodNotAllowed, notFoundPage } from "./pages.ts";
import { findRedirect, redirectResponse } from "./redirects.ts";
import { acceptedBy, bytesOf, pickVariant, sendFile } from "./respond.ts";
import { type Pin, pinnedVersion } from "./skew.ts";
import { isHttps, PIN_COOKIE, readCookie, SEEN_COOKIE } from "./cookies.ts";

/**
 * What a `Cookie` header holding a pin contains (under either name): most requests are ruled
 * out by one search.
 */
const PINNED = `${PIN_COOKIE.plain}=`;

/** The answer to a request whose selected version's table is loaded. */
export function serveRequest(ctx: Serving): Answer {
  const method = ctx.request.method;
  if (method !== "GET" && method !== "HEAD") return methodNotAllowed(method);
  if (ctx.mode.skew && ctx.cookie !== null && ctx.cookie.includes(PINNED)) {
    const pinned = fromPin(ctx);
    if (pinned !== null) return pinned.then((answer) => answer ?? serveSelected(ctx));
  }
  return serveSelected(ctx);
}

function serveSelected(ctx: Serving): Answer {
  const file = ctx.files.routes.get(ctx.raw);
  return file === undefined ? lookup(ctx) : serveFile(ctx, file);
}

/** A file of the selected version; a page a navigation gets is counted (and pins, live). */
function serveFile(ctx: Serving, file: EdgeFile): Answer {
  const answer = ctx.mode.send(ctx, file, ctx.files);
  if (!file.html || !countable(ctx.request)) return answer;
  return then(answer, countPage, ctx);
}

/** The full lookup, for what the fast table does not hold. */
function lookup(ctx: Serving): Answer {
  const { raw, files } = ctx;
  const resolved = resolvePath(raw);
  if (!resolved.ok) return resolved.status === 400 ? badRequestPage() : notFoundPage();
  const { path, directory } = resolved;
  const shown = directory && path ? `/${path}/` : `/${path}`;
  const redirect = findRedirect(files.redirects, shown);
  if (redirect) return redirectResponse(redirect, rawSearch(ctx.request.url));
  if (directory) {
    const index = files.files.get(path ? `${path}/index.html` : "index.html");
    return index ? serveFile(ctx, index) : missing(ctx, path);
  }
  const file = files.files.get(path);
  if (file) {
    if (files.site.clean_urls && path.endsWith(".html")) {
      const clean = path === "index.html" || path.endsWith("/index.html")
        ? raw.slice(0, -"index.html".length)
        : raw.slice(0, -".html".length);
      return redirectTo(clean + rawSearch(ctx.request.url));
    }
    return serveFile(ctx, file);
  }
  if (files.site.clean_urls) {
    const page = files.files.get(`${path}.html`);
    if (page) return serveFile(ctx, page);
  }
  if (files.files.has(`${path}/index.html`)) {
    return redirectTo(`${raw}/${rawSearch(ctx.request.url)}`);
  }
  return missing(ctx, path);
}

function redirectTo(location: string): Response {
  return new Response(null, { status: 308, headers: { location } });
}

/** Nothing at `path`: skew protection, the SPA fallback, the package's 404 page, or ours. */
async function missing(ctx: Serving, path: string): Promise<Response> {
  const { files } = ctx;
  const navigation = isNavigation(ctx.request);
  if (!navigation && ctx.mode.skew && isHashedName(path)) {
    const earlier = await fromEarlier(ctx, path);
    if (earlier) return earlier;
  }
  if (navigation && files.site.spa && files.index && isExtensionless(path)) {
    return await serveFile(ctx, files.index);
  }
  if (navigation && files.notFound) return await packageNotFound(ctx);
  return notFoundPage();
}

/**
 * A navigation: a browser loading a document. `Sec-Fetch-Mode` says so; older clients are
 * judged by `Accept` (a script's `fetch` sends `*\/*`, never `text/html` first).
 */
function isNavigation(request: Request): boolean {
  const mode = request.headers.get("sec-fetch-mode");
  if (mode !== null) return mode === "navigate";
  const accept = request.headers.get("accept");
  return accept !== null && accept.includes("text/html");
}

/** A page view: a top-level navigation, not a prefetch or a frame. */
function countable(request: Request): boolean {
  if (request.method !== "GET" || !isNavigation(request)) return false;
  const dest = request.headers.get("sec-fetch-dest");
  if (dest !== null && dest !== "document") return false;
  const purpose = request.headers.get("sec-purpose") ?? request.headers.get("purpose");
  return purpose === null || !purpose.includes("prefetch");
}

/** Counts a page a navigation got (200 or 304), marks the browser seen, and pins it (live). */
function countPage(response: Response, ctx: Serving): Answer {
  if (response.status !== 200 && response.status !== 304) return response;
  const { files, now } = ctx;
  const { counters } = ctx.deps;
  const visitor = readCookie(ctx, SEEN_COOKIE) !== counters.today(now);
  counters.pageView(ctx.mode.bucket(files, counters), visitor, now);
  const https = isHttps(ctx);
  if (visitor) response.headers.append("set-cookie", counters.seenCookie(now, https));
  if (!ctx.mode.skew) return response;
  const pin = ctx.deps.state.pins.renew(files.pin, files.app.id, files.version, now);
  if (!(pin instanceof Promise)) return withPin(response, pin, files, https);
  // A fresh pin is signed once a minute per version: only that page waits for WebCrypto (and
  // only it pays for a closure).
  return pin.then((fresh) => withPin(response, fresh, files, https));
}

function withPin(response: Response, pin: Pin, files: VersionFiles, https: boolean): Response {
  if (pin !== files.pin) files.pin = pin;
  response.headers.append("set-cookie", https ? pin.setCookieSecure : pin.setCookie);
  return response;
}

/**
 * An asset from the version the shopper is pinned to, when the pin is genuine and current,
 * names another version than the selected one, and that version (still there) has a non-HTML
 * file here. Null: not pinned. The pin is verified from the cookie alone before its version's
 * table is looked up, so a forged pin never makes the edge read or build anything.
 */
function fromPin(ctx: Serving): Promise<Response | null> | null {
  // A navigation is never served from a pin: ask that before reading and parsing the cookie.
  if (isNavigation(ctx.request)) return null;
  const pinned = pinnedVersion(ctx);
  if (pinned === null || pinned.version === ctx.version) return null;
  const holds = ctx.deps.state.pins.holds(ctx.app.id, pinned, ctx.now);
  if (holds === true) return pinnedVersionFile(ctx, pinned.version);
  if (holds === false) return null;
  // A pin value this process has not seen yet is checked by WebCrypto first.
  return holds.then((ok) => ok ? pinnedVersionFile(ctx, pinned.version) : null);
}

function pinnedVersionFile(ctx: Serving, version: number): Promise<Response | null> | null {
  const loaded = ctx.deps.state.versionFiles(ctx.app, version, ctx.site);
  return loaded === null ? null : pinnedFile(ctx, loaded);
}

async function pinnedFile(ctx: Serving, loaded: Loaded): Promise<Response | null> {
  const files = await loaded;
  if (files === null) return null;
  let file = files.routes.get(ctx.raw);
  if (file === undefined) {
    const resolved = resolvePath(ctx.raw);
    file = resolved.ok ? files.files.get(resolved.path) : undefined;
  }
  if (!file || file.html) return null;
  const response = await sendFile(ctx, file, files);
  // The same URL answers differently for shoppers pinned elsewhere: keep shared caches out.
  if (!file.hashed && response.headers.has("cache-control")) {
    response.headers.set("cache-control", "private, no-cache");
  }
  return response;
}

/**
 * A hashed asset the selected version lacks, from the most recent earlier live version that
 * still exists (a deleted one's table is null).
 */
async function fromEarlier(ctx: Serving, path: string): Promise<Response | null> {
  for (const version of ctx.site.earlier) {
    const files = await ctx.deps.state.versionFiles(ctx.app, version, ctx.site);
    const file = files?.files.get(path);
    if (files && file && !file.html) return await sendFile(ctx, file, files);
  }
  return null;
}

/** The package's own `404.html`, with status 404 and never cached. */
async function packageNotFound(ctx: Serving): Promise<Response> {
  const { files } = ctx;
  const prepared = prepare(files, files.notFound!);
  const variant = pickVariant(prepared, acceptedBy(ctx)) ??
    prepared.identity;
  const bytes = await bytesOf(variant, files, ctx.deps.state);
  if (bytes === null) return notFoundPage();
  // A preview's 404 is a preview's answer too: private, not for search engines.
  const headers = [...uncachedHeaders(variant), ...ctx.mode.headers];
  if (!ctx.mode.headers.some(([name]) => name === "cache-control")) {
    headers.push(["cache-control", "no-store"]);
  }
  return new Response(bytes as Uint8Array<ArrayBuffer>, { status: 404, headers });
}
