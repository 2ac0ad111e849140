/**
 * Skew protection (DESIGN "Edge"). A shopper whose page came from version N gets a short-lived
 * pin cookie naming N; their later asset requests (never navigations, never HTML) are served
 * from N while N has the file, so a page loaded before a switch keeps loading its own scripts.
 * Without the cookie (another tab, cookies off, the pin expired), a content-hashed asset missing
 * from the selected version is looked for in the versions live before it, most recent first.
 *
 * The pin is `version.issued.mac`: an HMAC of app, version and issue time (seconds). A shopper
 * cannot pin a version that was never served to them (say, one only shared through test links),
 * nor keep a pin past its hour: the edge checks the age itself, whatever the browser keeps. The
 * check is made from the cookie alone, before any version table is touched, so a forged pin
 * costs one HMAC and never a KV read. The `Set-Cookie` lines of a version are built once per
 * `PIN_REISSUE_MS` and kept on its table; a page answered in between hands out the same value.
 */
import { HmacSigner, timingSafeEqual } from "../lib/crypto.ts";
import { then } from "./answer.ts";
import { parseVersionNumber } from "../lib/version_number.ts";
import { type CookieRequest, PIN_COOKIE, readCookie, setCookie } from "./cookies.ts";

/** Long enough for a page's lazy chunks; short enough that old versions are not kept alive. */
const PIN_MAX_AGE_SECONDS = 3600;
/** How long one issued value of a version's pin is handed out before a fresh one is signed. */
const PIN_REISSUE_MS = 60_000;
/**
 * The oldest pin accepted: its hour, plus the time its value may have been handed out after
 * it was signed (the browser keeps the cookie for an hour from the page that set it).
 */
const PIN_ACCEPTED_SECONDS = PIN_MAX_AGE_SECONDS + PIN_REISSUE_MS / 1000;
/** Issue times this far ahead of the clock are accepted (another edge's clock may run ahead). */
const CLOCK_SKEW_SECONDS = 60;
/** Characters of base64url HMAC kept (132 bits). */
const MAC_LENGTH = 22;

/** The pin cookie of one version, as handed out from `issuedAt` (ms) on. */
export interface Pin {
  value: string;
  /** Its `Set-Cookie` over plain HTTP. */
  setCookie: string;
  /** Its `Set-Cookie` over HTTPS: `__Host-` and Secure. */
  setCookieSecure: string;
  issuedAt: number;
}

/** A pin cookie as sent, parsed but not yet verified. */
interface PinClaim {
  version: number;
  issued: number;
  mac: string;
}

export class PinSigner {
  #signer: HmacSigner;

  constructor(secret: string) {
    this.#signer = new HmacSigner(`version-pin:${secret}`);
  }

  #mac(appId: string, version: number, issued: number): string | Promise<string> {
    return this.#signer.sign(`${appId}|${version}|${issued}`);
  }

  /** A pin of `version` issued at `now` (ms): cookie value and `Set-Cookie` lines. */
  issue(appId: string, version: number, now: number): Pin | Promise<Pin> {
    const issued = Math.floor(now / 1000);
    return then(this.#mac(appId, version, issued), (mac) => {
      const value = `${version}.${issued}.${mac.slice(0, MAC_LENGTH)}`;
      const attributes = `Max-Age=${PIN_MAX_AGE_SECONDS}; HttpOnly; SameSite=Lax`;
      return {
        value,
        setCookie: setCookie(PIN_COOKIE, value, attributes, false),
        setCookieSecure: setCookie(PIN_COOKIE, value, attributes, true),
        issuedAt: now,
      };
    });
  }

  /**
   * The pin to hand out for a version at `now`: `current` while it is fresh, else a new one.
   * Synchronous and, within `PIN_REISSUE_MS`, allocation-free.
   */
  renew(current: Pin | null, appId: string, version: number, now: number): Pin | Promise<Pin> {
    if (current !== null && now >= current.issuedAt && now - current.issuedAt < PIN_REISSUE_MS) {
      return current;
    }
    return this.issue(appId, version, now);
  }

  /**
   * True when `claim` was issued by this installation for `appId` and is not too old; a promise
   * only the first time this process sees the claim's value.
   */
  holds(appId: string, claim: PinClaim, now: number): boolean | Promise<boolean> {
    const age = now / 1000 - claim.issued;
    if (age > PIN_ACCEPTED_SECONDS || age < -CLOCK_SKEW_SECONDS) return false;
    return then(
      this.#mac(appId, claim.version, claim.issued),
      (mac) => timingSafeEqual(mac.slice(0, MAC_LENGTH), claim.mac),
    );
  }
}

const PIN_VALUE = /^([1-9]\d{0,9})\.(\d{1,12})\.([\w-]{22})$/;

/** The pin a request's cookie claims (not yet verified), or null when it has none or no pin. */
export function pinnedVersion(request: CookieRequest): PinClaim | null {
  const value = readCookie(request, PIN_COOKIE);
  if (value === null) return null;
  const match = PIN_VALUE.exec(value);
  if (match === null) return null;
  const version = parseVersionNumber(match[1]);
  if (version === null) return null;
  return { version, issued: Number(match[2]), mac: match[3] };
}
