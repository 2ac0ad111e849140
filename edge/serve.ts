/**
 * Which file answers a request to the selected version (DESIGN "Edge"): the fast table first
 * (one map lookup for every file, directory index and clean URL), else the full lookup —
 * decode once, `switchyard.json` redirects, files, clean URLs, the directory redirect, the SPA
 * fallback for extensionless navigations, skew protection for hashed assets, and the 404.
 * HTML pages answered to a navigation are counted and pin the shopper to their version.
 */
import type { EdgeContext } from "./context.ts";
import type { EdgeState } from "./state.ts";
import type { Counters } from "./counters.ts";
import {
  type EdgeFile,
  isHashedName,
  prepare,
  uncachedHeaders,
  type VersionFiles,
} from "./version_files.ts";
import { isExtensionless, rawSearch, resolvePath } from "./paths.ts";
import { badRequestPage, methodNotAllowed, notFoundPage } from "./pages.ts";
import { findRedirect, redirectResponse } from "./redirects.ts";
import { bytesOf, pickVariant, sendFile } from "./respond.ts";
import { pinnedVersion } from "./skew.ts";
import { cookieValue, PIN_COOKIE, secureSuffix, SEEN_COOKIE } from "./cookies.ts";
import { servePreview } from "./preview_serve.ts";

/** What serving needs besides the request: the same for every request (made once). */
export interface ServeDeps {
  state: EdgeState;
  counters: Counters;
}

type Answer = Response | Promise<Response>;

/** What a `Cookie` header holding a pin contains: most requests are ruled out by one search. */
const PINNED = `${PIN_COOKIE}=`;

export function serveRequest(
  request: Request,
  raw: string,
  files: VersionFiles,
  ctx: EdgeContext,
  deps: ServeDeps,
): Answer {
  const method = request.method;
  if (method !== "GET" && method !== "HEAD") return methodNotAllowed(method);
  if (ctx.cookie !== null && ctx.mode === "live" && ctx.cookie.includes(PINNED)) {
    const pinned = fromPin(request, raw, ctx, deps);
    if (pinned !== null) {
      return pinned.then((answer) => answer ?? serveSelected(request, raw, files, ctx, deps));
    }
  }
  return serveSelected(request, raw, files, ctx, deps);
}

function serveSelected(
  request: Request,
  raw: string,
  files: VersionFiles,
  ctx: EdgeContext,
  deps: ServeDeps,
): Answer {
  const file = files.routes.get(raw);
  if (file === undefined) return lookup(request, raw, files, ctx, deps);
  if (file.html) return sendPage(request, file, files, ctx, deps);
  if (ctx.mode === "test") return servePreview(request, file, files, ctx, deps.state);
  return sendFile(request, file, files, deps.state);
}

/** The full lookup, for what the fast table does not hold. */
function lookup(
  request: Request,
  raw: string,
  files: VersionFiles,
  ctx: EdgeContext,
  deps: ServeDeps,
): Answer {
  const resolved = resolvePath(raw);
  if (!resolved.ok) return resolved.status === 400 ? badRequestPage() : notFoundPage();
  const { path, directory } = resolved;
  const shown = directory && path ? `/${path}/` : `/${path}`;
  const redirect = findRedirect(files.redirects, shown);
  if (redirect) return redirectResponse(redirect, rawSearch(request.url));
  const serve = (file: EdgeFile) =>
    file.html
      ? sendPage(request, file, files, ctx, deps)
      : ctx.mode === "test"
      ? servePreview(request, file, files, ctx, deps.state)
      : sendFile(request, file, files, deps.state);
  if (directory) {
    const index = files.files.get(path ? `${path}/index.html` : "index.html");
    return index ? serve(index) : missing(request, path, files, ctx, deps);
  }
  const file = files.files.get(path);
  if (file) {
    if (files.site.clean_urls && path.endsWith(".html")) {
      const clean = path === "index.html" || path.endsWith("/index.html")
        ? raw.slice(0, -"index.html".length)
        : raw.slice(0, -".html".length);
      return redirectTo(clean + rawSearch(request.url));
    }
    return serve(file);
  }
  if (files.site.clean_urls) {
    const page = files.files.get(`${path}.html`);
    if (page) return serve(page);
  }
  if (files.files.has(`${path}/index.html`)) return redirectTo(`${raw}/${rawSearch(request.url)}`);
  return missing(request, path, files, ctx, deps);
}

function redirectTo(location: string): Response {
  return new Response(null, { status: 308, headers: { location } });
}

/** Nothing at `path`: skew protection, the SPA fallback, the package's 404 page, or ours. */
async function missing(
  request: Request,
  path: string,
  files: VersionFiles,
  ctx: EdgeContext,
  deps: ServeDeps,
): Promise<Response> {
  const navigation = isNavigation(request);
  if (!navigation && ctx.mode === "live" && isHashedName(path)) {
    const earlier = await fromEarlier(request, path, ctx, deps);
    if (earlier) return earlier;
  }
  if (navigation && files.site.spa && files.index && isExtensionless(path)) {
    return await sendPage(request, files.index, files, ctx, deps);
  }
  if (navigation && files.notFound) return await packageNotFound(request, files, deps.state);
  return notFoundPage();
}

/**
 * A navigation: a browser loading a document. `Sec-Fetch-Mode` says so; older clients are
 * judged by `Accept` (a script's `fetch` sends `*\/*`, never `text/html` first).
 */
export function isNavigation(request: Request): boolean {
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

/** An HTML page: counted when a navigation gets it, and (live) pinning its version. */
function sendPage(
  request: Request,
  file: EdgeFile,
  files: VersionFiles,
  ctx: EdgeContext,
  deps: ServeDeps,
): Answer {
  const answer = ctx.mode === "test"
    ? servePreview(request, file, files, ctx, deps.state)
    : sendFile(request, file, files, deps.state);
  if (!countable(request)) return answer;
  return answer instanceof Promise
    ? answer.then((response) => pageCookies(request, response, files, ctx, deps))
    : pageCookies(request, answer, files, ctx, deps);
}

function pageCookies(
  request: Request,
  response: Response,
  files: VersionFiles,
  ctx: EdgeContext,
  deps: ServeDeps,
): Response {
  if (response.status !== 200 && response.status !== 304) return response;
  const { counters } = deps;
  const now = ctx.now;
  const bucket = ctx.mode === "live"
    ? files.liveBucket ??= counters.bucket(files.app.id, files.version, "live")
    : files.testBucket ??= counters.bucket(files.app.id, files.version, "test");
  const visitor = cookieValue(ctx.cookie, SEEN_COOKIE) !== counters.today(now);
  counters.pageView(bucket, visitor, now);
  const secure = secureSuffix(request.url);
  if (visitor) response.headers.append("set-cookie", counters.seenCookie(now) + secure);
  if (ctx.mode === "live") {
    const pin = deps.state.pins.renew(files.pin, files.app.id, files.version, now);
    if (pin !== files.pin) files.pin = pin;
    response.headers.append("set-cookie", secure ? pin.setCookieSecure : pin.setCookie);
  }
  return response;
}

/**
 * An asset from the version the shopper is pinned to, when the pin is genuine and current,
 * names another version than the selected one, and that version (still there) has a non-HTML
 * file here. Null: not pinned. The pin is verified from the cookie alone before its version's
 * table is looked up, so a forged pin never makes the edge read or build anything.
 */
function fromPin(
  request: Request,
  raw: string,
  ctx: EdgeContext,
  deps: ServeDeps,
): Promise<Response | null> | null {
  const pinned = pinnedVersion(ctx.cookie);
  if (pinned === null || pinned.version === ctx.version || isNavigation(request)) return null;
  if (!deps.state.pins.holds(ctx.app.id, pinned, ctx.now)) return null;
  const loaded = deps.state.versionFiles(ctx.app, pinned.version, ctx.site);
  if (loaded === null) return null;
  return (async () => {
    const files = await loaded;
    if (files === null) return null;
    let file = files.routes.get(raw);
    if (file === undefined) {
      const resolved = resolvePath(raw);
      file = resolved.ok ? files.files.get(resolved.path) : undefined;
    }
    if (!file || file.html) return null;
    const response = await sendFile(request, file, files, deps.state);
    // The same URL answers differently for shoppers pinned elsewhere: keep shared caches out.
    if (!file.hashed && response.headers.has("cache-control")) {
      response.headers.set("cache-control", "private, no-cache");
    }
    return response;
  })();
}

/**
 * A hashed asset the selected version lacks, from the most recent earlier live version that
 * still exists (a deleted one's table is null).
 */
async function fromEarlier(
  request: Request,
  path: string,
  ctx: EdgeContext,
  deps: ServeDeps,
): Promise<Response | null> {
  for (const version of ctx.site.earlier) {
    const files = await deps.state.versionFiles(ctx.app, version, ctx.site);
    const file = files?.files.get(path);
    if (files && file && !file.html) return await sendFile(request, file, files, deps.state);
  }
  return null;
}

/** The package's own `404.html`, with status 404 and never cached. */
async function packageNotFound(
  request: Request,
  files: VersionFiles,
  state: EdgeState,
): Promise<Response> {
  const prepared = prepare(files, files.notFound!);
  const variant = pickVariant(prepared, request.headers.get("accept-encoding")) ??
    prepared.identity;
  const bytes = await bytesOf(variant, files, state);
  if (bytes === null) return notFoundPage();
  const headers = uncachedHeaders(variant);
  headers.push(["cache-control", "no-store"]);
  return new Response(bytes as Uint8Array<ArrayBuffer>, { status: 404, headers });
}
