/**
 * Skew protection (DESIGN "Edge"). A shopper whose page came from version N gets a short-lived
 * pin cookie naming N; their later asset requests (never navigations, never HTML) are served
 * from N while N has the file, so a page loaded before a switch keeps loading its own scripts.
 * Without the cookie (another tab, cookies off, the pin expired), a content-hashed asset missing
 * from the selected version is looked for in the versions live before it, most recent first.
 *
 * The pin carries an HMAC of app and version: a shopper cannot pin a version that was never
 * served to them (say, one only shared through test links). It is computed once per version.
 */
import { base64url, timingSafeEqual } from "./preview.ts";
import { cookieValue } from "./cookies.ts";
import type { Pin } from "./version_files.ts";

export const PIN_COOKIE = "sy_pin";
/** Long enough for a page's lazy chunks; short enough that old versions are not kept alive. */
export const PIN_MAX_AGE_SECONDS = 3600;

export class PinSigner {
  #key: Promise<CryptoKey>;

  constructor(secret: string) {
    this.#key = crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(`version-pin:${secret}`),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
  }

  /** The pin of a version: cookie value and prebuilt `Set-Cookie` lines. */
  async pin(appId: string, version: number): Promise<Pin> {
    const data = new TextEncoder().encode(`${appId}|${version}`);
    const mac = base64url(await crypto.subtle.sign("HMAC", await this.#key, data)).slice(0, 22);
    const value = `${version}.${mac}`;
    const setCookie =
      `${PIN_COOKIE}=${value}; Path=/; Max-Age=${PIN_MAX_AGE_SECONDS}; HttpOnly; SameSite=Lax`;
    return { value, setCookie, setCookieSecure: `${setCookie}; Secure` };
  }
}

/** The version a request's pin cookie names (not yet verified), or null. */
export function pinnedVersion(cookie: string | null): { version: number; value: string } | null {
  const value = cookieValue(cookie, PIN_COOKIE);
  if (value === null) return null;
  const dot = value.indexOf(".");
  const version = Number(value.slice(0, dot));
  return dot > 0 && Number.isSafeInteger(version) && version > 0 ? { version, value } : null;
}

/** True when `value` is the pin of the version whose pin is `pin`. */
export function pinHolds(pin: Pin, value: string): boolean {
  return timingSafeEqual(pin.value, value);
}
