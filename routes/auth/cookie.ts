/**
 * The admin's session cookie (DESIGN "Auth"): `__Host-sy_session` over HTTPS — Secure, host-only
 * and `Path=/`, so no sibling host and no plain-HTTP answer can plant or overwrite it
 * (RFC 6265bis §4.1.3.2) — and plain `sy_session`, not Secure, on plain-HTTP `localhost`, where
 * a browser would drop a Secure cookie. HttpOnly (scripts never see it) and SameSite=Lax (sent on
 * top-level navigations from elsewhere, so a link into the admin keeps you signed in, but on no
 * cross-site form post or fetch). Each transport reads only its own name.
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { requestIsHttps } from "../../edge/forwarded.ts";
import type { Config } from "../../config.ts";
import { SESSION_ABSOLUTE_MS } from "../../kv/sessions.ts";

const NAME = "sy_session";

/** What a platform request carries besides itself: `Deno.serve`'s info (the TCP peer). */
export interface PlatformBindings {
  info?: Deno.ServeHandlerInfo;
}

/** What a platform context holds that sessions need; the API's and the admin's both do. */
export type SessionEnv = {
  Bindings: PlatformBindings;
  Variables: { config: Config; kv: Deno.Kv };
};

/** Whether the request reached us over HTTPS (directly or through the trusted proxy). */
export function overHttps<E extends SessionEnv>(c: Context<E>): boolean {
  return requestIsHttps(c.req.raw, c.env?.info, c.get("config").trustedProxy);
}

/**
 * A platform cookie by the rule above: `__Host-`-prefixed and Secure over HTTPS, plain on HTTP
 * localhost; HttpOnly, SameSite=Lax, `Path=/`. The session and OAuth's flight cookie use it.
 */
export function readHostCookie<E extends SessionEnv>(
  c: Context<E>,
  name: string,
): string | undefined {
  return overHttps(c) ? getCookie(c, name, "host") : getCookie(c, name);
}

export function setHostCookie<E extends SessionEnv>(
  c: Context<E>,
  name: string,
  value: string,
  maxAgeSeconds: number,
): void {
  const options = { httpOnly: true, sameSite: "Lax", path: "/", maxAge: maxAgeSeconds } as const;
  if (overHttps(c)) setCookie(c, name, value, { ...options, secure: true, prefix: "host" });
  else setCookie(c, name, value, options);
}

export function clearHostCookie<E extends SessionEnv>(c: Context<E>, name: string): void {
  if (overHttps(c)) deleteCookie(c, name, { path: "/", secure: true, prefix: "host" });
  else deleteCookie(c, name, { path: "/" });
}

export function readSessionCookie<E extends SessionEnv>(c: Context<E>): string | undefined {
  return readHostCookie(c, NAME);
}

/** Sets the cookie for a new session; it lives no longer than the session's absolute end. */
export function setSessionCookie<E extends SessionEnv>(c: Context<E>, id: string): void {
  setHostCookie(c, NAME, id, Math.floor(SESSION_ABSOLUTE_MS / 1000));
}

export function clearSessionCookie<E extends SessionEnv>(c: Context<E>): void {
  clearHostCookie(c, NAME);
}
