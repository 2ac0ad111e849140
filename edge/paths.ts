/**
 * Turns a request path into a file path of the version, decoding exactly once. Anything that
 * could name a file outside the version, or that no package could contain (a file path is
 * validated at install), is answered before any lookup.
 */
export type PathResult =
  | { ok: true; path: string; directory: boolean }
  | { ok: false; status: 400 | 404 };

export function resolvePath(rawPathname: string): PathResult {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPathname);
  } catch {
    return { ok: false, status: 400 }; // malformed percent-encoding or overlong UTF-8
  }
  // deno-lint-ignore no-control-regex
  if (/[\x00-\x1f\x7f\\]/.test(decoded)) return { ok: false, status: 400 };
  const segments = decoded.split("/").slice(1);
  const directory = decoded.endsWith("/");
  if (directory) segments.pop();
  for (const segment of segments) {
    if (segment === "" || segment === "." || segment === "..") return { ok: false, status: 404 };
    // A second decoding would reveal an encoded path: such a name was never installed.
    if (segment.includes("%")) return { ok: false, status: 404 };
  }
  return { ok: true, path: segments.join("/"), directory };
}

/** True when the last segment has no extension: a navigation the SPA fallback may answer. */
export function isExtensionless(path: string): boolean {
  const last = path.slice(path.lastIndexOf("/") + 1);
  return !last.includes(".");
}
