/**
 * OAuth sign-ins in flight (RFC 6749 §10.12, RFC 7636, OIDC Core §3.1.2.1). Before the browser
 * goes to the provider, its one-time `state` is kept here with the PKCE verifier and the OIDC
 * nonce; when the provider sends the browser back, the `state` it carries is used up with a get,
 * check and delete in one commit, so a callback URL works once, within 10 minutes, and only for
 * the provider it was made for. KV keeps the state's SHA-256 only: a copy of the store cannot
 * complete anyone's sign-in.
 */
import { sha256Hex } from "../lib/crypto.ts";
import { nowIso } from "./ids.ts";
import { oauthStateKey } from "./keys.ts";

export const OAUTH_STATE_MS = 10 * 60_000;

export interface OAuthState {
  /** `github` or `oidc`: a state made for one provider is refused at another's callback. */
  provider: string;
  /** PKCE (RFC 7636): the secret whose S256 hash went to the provider as `code_challenge`. */
  code_verifier: string;
  /** OIDC: the value the ID token must carry back; null for plain OAuth 2 (GitHub). */
  nonce: string | null;
  /** Where to go after signing in (already checked to be a path of ours). */
  next: string;
  /** SHA-256 of the flight cookie of the browser that started the sign-in. */
  browser: string;
  expires_at: string;
}

/** Keeps a sign-in's `state` for 10 minutes. `state` is a fresh random value of the caller's. */
export async function saveOAuthState(
  kv: Deno.Kv,
  state: string,
  record: Omit<OAuthState, "expires_at">,
  now = Date.now(),
): Promise<void> {
  const key = oauthStateKey(await sha256Hex(state));
  const value: OAuthState = { ...record, expires_at: nowIso(now + OAUTH_STATE_MS) };
  const result = await kv.atomic()
    .check({ key, versionstamp: null })
    .set(key, value, { expireIn: OAUTH_STATE_MS })
    .commit();
  if (!result.ok) throw new Error("OAuth state collided (the random source is broken)");
}

/**
 * Uses up a `state`: its record when it is known, unexpired, unused and made for `provider`,
 * else null (the caller refuses all alike). A state shown at the wrong provider's callback is
 * used up too: it was exposed, so it must not work anywhere afterwards.
 */
export async function consumeOAuthState(
  kv: Deno.Kv,
  state: string,
  provider: string,
  now = Date.now(),
): Promise<OAuthState | null> {
  if (state.length < 16 || state.length > 256) return null;
  const key = oauthStateKey(await sha256Hex(state));
  const entry = await kv.get<OAuthState>(key);
  if (!entry.value) return null;
  const result = await kv.atomic().check(entry).delete(key).commit();
  if (!result.ok) return null;
  const fresh = Date.parse(entry.value.expires_at) > now;
  return fresh && entry.value.provider === provider ? entry.value : null;
}
