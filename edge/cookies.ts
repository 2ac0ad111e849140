/**
 * The cookies the edge sets on app hosts, named here and nowhere else: a package's own cookies
 * share the host, so every name carries the `sy_` prefix.
 */

/** A preview: the test link, its version and an HMAC (`preview.ts`). */
export const PREVIEW_COOKIE = "sy_preview";
/** The anonymous shopper id that keeps a shopper on one arm of a split (`visitor.ts`). */
export const VISITOR_COOKIE = "sy_visitor";
/** The version a shopper's page came from, for skew protection (`skew.ts`). */
export const PIN_COOKIE = "sy_pin";
/** The day this browser was last counted as a visitor (`counters.ts`). */
export const SEEN_COOKIE = "sy_seen";

/**
 * Reading one cookie out of a `Cookie` header without building a map of all of them: the edge
 * wants at most three names, and most requests carry none of them.
 */
export function cookieValue(header: string | null, name: string): string | null {
  if (header === null) return null;
  let at = header.indexOf(name);
  while (at !== -1) {
    const before = at === 0 ? ";" : header[at - 1];
    const end = at + name.length;
    if ((before === ";" || before === " ") && header[end] === "=") {
      const stop = header.indexOf(";", end);
      return header.slice(end + 1, stop === -1 ? undefined : stop).trim();
    }
    at = header.indexOf(name, end);
  }
  return null;
}

/** `; Secure` for a request that came over HTTPS. */
export function secureSuffix(url: string): string {
  return url.startsWith("https:") ? "; Secure" : "";
}
