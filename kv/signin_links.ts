/**
 * One-time sign-in links: the start-up output's link for the default account's owner, and
 * (with SMTP) "email me a sign-in link". The link's secret is random; KV keeps only its
 * SHA-256, with `expireIn` equal to its lifetime, and using it is a get, check and delete in one
 * commit (STYLE "Writes to KV"), so of two browsers racing with one link exactly one signs in.
 */
import { randomBase62, sha256Hex } from "../lib/crypto.ts";
import { nowIso } from "./ids.ts";
import { signInLinkKey } from "./keys.ts";

export const SIGN_IN_LINK_MS = 15 * 60_000;

export interface SignInLink {
  person_id: string;
  /** The account the session starts in; null: the person's first. */
  account_id: string | null;
  /** `start` (printed at start-up) or `email`. */
  purpose: string;
  expires_at: string;
}

/** Makes a link secret for the person, valid for 15 minutes and once. */
export async function createSignInLink(
  kv: Deno.Kv,
  input: { personId: string; accountId: string | null; purpose: string },
  now = Date.now(),
): Promise<string> {
  const secret = randomBase62(43);
  await saveSignInLink(kv, secret, {
    person_id: input.personId,
    account_id: input.accountId,
    purpose: input.purpose,
    expires_at: nowIso(now + SIGN_IN_LINK_MS),
  });
  return secret;
}

/**
 * Stores a new link's record under its secret's hash. A create checks `versionstamp: null`
 * (STYLE "Writes to KV"): a second link under a hash already held is refused, never written
 * over the first, whoever it signs in.
 */
export async function saveSignInLink(
  kv: Deno.Kv,
  secret: string,
  record: SignInLink,
): Promise<void> {
  const key = signInLinkKey(await sha256Hex(secret));
  const result = await kv.atomic()
    .check({ key, versionstamp: null })
    .set(key, record, { expireIn: SIGN_IN_LINK_MS })
    .commit();
  if (!result.ok) throw new Error("Sign-in link collided (the random source is broken)");
}

/**
 * The link's record without using it up (null when unknown or expired): what its confirm page
 * is shown from, since a GET may be a mail scanner's prefetch and must leave the link working.
 */
export async function peekSignInLink(
  kv: Deno.Kv,
  secret: string,
  now = Date.now(),
): Promise<SignInLink | null> {
  if (secret.length !== 43) return null;
  const entry = await kv.get<SignInLink>(signInLinkKey(await sha256Hex(secret)));
  return entry.value && Date.parse(entry.value.expires_at) > now ? entry.value : null;
}

/**
 * Uses up a link: its record when the secret is known, unexpired and not used before, else
 * null (all three look alike to the caller).
 */
export async function consumeSignInLink(
  kv: Deno.Kv,
  secret: string,
  now = Date.now(),
): Promise<SignInLink | null> {
  if (secret.length !== 43) return null;
  const key = signInLinkKey(await sha256Hex(secret));
  const entry = await kv.get<SignInLink>(key);
  if (!entry.value || Date.parse(entry.value.expires_at) <= now) return null;
  const result = await kv.atomic().check(entry).delete(key).commit();
  return result.ok ? entry.value : null;
}
