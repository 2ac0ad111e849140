/**
 * Request paths. The edge reads the path exactly as the client sent it (no WHATWG URL parsing:
 * that would turn `%2e%2e` into `..` and `\` into `/` before any check) and decodes it exactly
 * once. Anything that could name a file outside the version, or that no package could contain
 * (file paths are validated at install), is answered 400 or 404 before any lookup.
 */
type PathResult =
  | { ok: true; path: string; directory: boolean }
  | { ok: false; status: 400 | 404 };

/**
 * The path of a request URL, undecoded, without query: `request.url` is the raw target behind
 * the origin (Deno does not normalise it).
 */
export function rawPath(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start === -1) return "/";
  let end = url.indexOf("?", start);
  if (end === -1) end = url.indexOf("#", start);
  return end === -1 ? url.slice(start) : url.slice(start, end);
}

/** The query of a request URL with its `?`, or "". */
export function rawSearch(url: string): string {
  const start = url.indexOf("?", url.indexOf("//") + 2);
  if (start === -1) return "";
  const hash = url.indexOf("#", start);
  return hash === -1 ? url.slice(start) : url.slice(start, hash);
}

// deno-lint-ignore no-control-regex
const FORBIDDEN = /[\x00-\x1f\x7f\\]/;

/** Decodes a raw request path once and checks it; `path` has no leading "/". */
export function resolvePath(raw: string): PathResult {
  if (!raw.startsWith("/")) return { ok: false, status: 400 };
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return { ok: false, status: 400 }; // malformed percent-encoding, overlong or invalid UTF-8
  }
  if (FORBIDDEN.test(decoded) || !decoded.isWellFormed()) return { ok: false, status: 400 };
  const directory = decoded.length > 1 && decoded.endsWith("/");
  const segments = decoded.slice(1, directory ? -1 : undefined).split("/");
  if (decoded === "/") return { ok: true, path: "", directory: true };
  for (const segment of segments) {
    // An empty segment (`//`) or a dot segment, even one that arrived encoded, names nothing a
    // package can hold. A `%` left after decoding is a literal one: such a name is simply
    // looked up, never decoded a second time.
    if (segment === "" || segment === "." || segment === "..") return { ok: false, status: 404 };
  }
  const path = segments.join("/");
  // Installed paths are NFC (package/paths.ts); macOS clients may send NFD.
  return { ok: true, path: isAscii(path) ? path : path.normalize("NFC"), directory };
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** True when the last segment has no extension: a navigation the SPA fallback may answer. */
export function isExtensionless(path: string): boolean {
  const last = path.slice(path.lastIndexOf("/") + 1);
  return !last.includes(".");
}

// The characters a URL path may carry unencoded (RFC 3986 pchar, less "%"): a path made only
// of them is its own canonical request path.
const PLAIN_PATH = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/]*$/;

/**
 * The request path a browser sends for an installed path (`/` + the path, percent-encoded as
 * the URL standard does): the key of the edge's fast lookup table.
 */
export function requestPathOf(path: string): string {
  if (PLAIN_PATH.test(path)) return `/${path}`;
  const escaped = path.replace(/%/g, "%25").replace(/\?/g, "%3F").replace(/#/g, "%23");
  return new URL(`/${escaped}`, "http://x").pathname;
}
