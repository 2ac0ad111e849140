/**
 * Small crypto helpers for tokens, links and cookies (WebCrypto; node:crypto for MACs). Hashing
 * many files at install uses lib/sha256_sync.ts instead.
 */
import { createHmac, createSecretKey, type KeyObject } from "node:crypto";

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

/**
 * HMAC-SHA-256 under one key, in base64url without padding: the one signer of the cookies the
 * edge hands out (previews, version pins). Synchronous, because the edge checks a signature on
 * the request path, where `crypto.subtle.sign` would cost a promise per check.
 */
export class HmacSigner {
  #key: KeyObject;

  /** `key` names its purpose as well as the secret, so one cookie's MAC never passes as another's. */
  constructor(key: string) {
    this.#key = createSecretKey(new TextEncoder().encode(key));
  }

  sign(data: string): string {
    return createHmac("sha256", this.#key).update(data).digest("base64url");
  }
}

/** Compares in time that does not depend on where two strings differ (a MAC check must not). */
export function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
