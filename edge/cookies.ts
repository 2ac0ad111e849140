/**
 * The cookies the edge sets on app hosts, named here and nowhere else: a package's own cookies
 * share the host, so every name carries the `sy_` prefix.
 *
 * Over HTTPS each is set `Secure` under its `__Host-` name (RFC 6265bis §4.1.3.2): a browser
 * keeps a `__Host-` cookie only when it is Secure, host-only (no Domain) and `Path=/`, so neither
 * a sibling app host (`other.<apps domain>`, running another merchant's scripts) nor an answer
 * over plain HTTP can plant or overwrite it. All four cookies qualify: none has a Domain and all
 * have `Path=/`. Over plain HTTP they keep their plain names.
 */
import type { Config } from "../config.ts";
import { requestIsHttps } from "./forwarded.ts";

/** A cookie's name over plain HTTP and, prefixed, over HTTPS. */
export interface CookieName {
  plain: string;
  secure: string;
}

function cookieName(plain: string): CookieName {
  return { plain, secure: `__Host-${plain}` };
}

/** A preview: the test link, its version and an HMAC (`preview.ts`). */
export const PREVIEW_COOKIE = cookieName("sy_preview");
/** The anonymous shopper id that keeps a shopper on one arm of a split (`visitor.ts`). */
export const VISITOR_COOKIE = cookieName("sy_visitor");
/** The version a shopper's page came from, for skew protection (`skew.ts`). */
export const PIN_COOKIE = cookieName("sy_pin");
/** The day this browser was last counted as a visitor (`counters.ts`). */
export const SEEN_COOKIE = cookieName("sy_seen");

/** A request as its cookies see it; an `EdgeContext` is one. */
export interface CookieRequest {
  request: Request;
  /** `Deno.serve`'s handler info: the TCP peer; undefined for a request made in-process. */
  info: Deno.ServeHandlerInfo | undefined;
  /** The request's `Cookie` header. */
  cookie: string | null;
  /** Whether the request came over HTTPS; null until first asked (`isHttps`). */
  https: boolean | null;
  deps: { config: Config };
}

/**
 * Whether the request came over HTTPS (`forwarded.ts`), decided the first time it is asked and
 * kept: a request that sets or reads no cookie never pays for it.
 */
export function isHttps(request: CookieRequest): boolean {
  return request.https ??= requestIsHttps(
    request.request,
    request.info,
    request.deps.config.trustedProxy,
  );
}

/**
 * The value of cookie `name` the request carries: under its `__Host-` name, else (cookies set
 * over plain HTTP before, during a move to HTTPS) under its plain name, but only on plain HTTP:
 * over HTTPS a plain-named cookie may have been planted by a sibling host.
 */
export function readCookie(request: CookieRequest, name: CookieName): string | null {
  const header = request.cookie;
  // The plain name is part of the `__Host-` one: without it, neither is there (one scan).
  if (header === null || !header.includes(name.plain)) return null;
  const value = cookieValue(header, name.secure);
  if (value !== null) return value;
  const plain = cookieValue(header, name.plain);
  return plain === null || isHttps(request) ? null : plain;
}

/**
 * The `Set-Cookie` line of `name` holding `value`, with `Path=/` and `attributes`; over HTTPS
 * under the `__Host-` name and `Secure`.
 */
export function setCookie(
  name: CookieName,
  value: string,
  attributes: string,
  https: boolean,
): string {
  return https
    ? `${name.secure}=${value}; Path=/; ${attributes}; Secure`
    : `${name.plain}=${value}; Path=/; ${attributes}`;
}

/**
 * Reading one cookie out of a `Cookie` header without building a map of all of them: the edge
 * wants at most three names, and most requests carry none of them.
 */
function cookieValue(header: string, name: string): string | null {
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
