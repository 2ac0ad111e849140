/**
 * Small crypto helpers for tokens, links and cookies, on WebCrypto only: the edge loads this
 * module, and `node:crypto` would cost a fresh isolate ~20 ms before its first answer. Hashing
 * many files at install uses lib/sha256_sync.ts instead.
 */

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) out += HEX[byte];
  return out;
}

/** SHA-256 of a token or a small body, as hex. */
export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as BufferSource)));
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** `length` base62 characters from the CSPRNG (rejection sampling keeps them uniform). */
export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length))) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

/** MACs a signer remembers; past this the memory starts over (a forged cookie flood only empties it). */
const KNOWN_MACS = 4096;

/**
 * HMAC-SHA-256 under one key, in base64url without padding: the one signer of the cookies the
 * edge hands out (previews, version pins). WebCrypto signs only asynchronously, and the edge
 * checks signatures on the request path, so every MAC is remembered: a cookie seen before (a pin
 * value is handed to every shopper of a version for a minute) is checked at once, and only the
 * first sight of a value waits for WebCrypto.
 */
export class HmacSigner {
  #key: Promise<CryptoKey>;
  #known = new Map<string, string>();

  /** `key` names its purpose as well as the secret, so one cookie's MAC never passes as another's. */
  constructor(key: string) {
    this.#key = crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(key),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
  }

  /** The MAC of `data`: at once when it was made before, else a promise of it. */
  sign(data: string): string | Promise<string> {
    return this.#known.get(data) ?? this.#sign(data);
  }

  async #sign(data: string): Promise<string> {
    const mac = await crypto.subtle.sign("HMAC", await this.#key, new TextEncoder().encode(data));
    const text = base64url(new Uint8Array(mac));
    if (this.#known.size >= KNOWN_MACS) this.#known.clear();
    this.#known.set(data, text);
    return text;
  }
}

/** RFC 4648 §5 base64url, without padding. */
export function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** Compares in time that does not depend on where two strings differ (a MAC check must not). */
export function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
