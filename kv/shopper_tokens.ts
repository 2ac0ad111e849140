/**
 * Limited shopper tokens (`POST /api/v1/auths/limited`): anonymous, made for a browser on first
 * use, able to read the catalog and reach only the carts, payments and orders made with them.
 * A token is `syl_` (live) or `sylt_` (test) + 32 base62 characters (≈190 random bits); only its
 * SHA-256 is stored, and the record expires with the token (`expireIn`), so a leaked store holds
 * nothing usable and nothing to sweep. The prefix tells it apart from an API token (`sy_`) on the
 * platform host, and tells a page's script which mode a browser's token is of (edge/shopper.ts).
 */
import { randomBase62, sha256Hex } from "../lib/crypto.ts";
import { newId, nowIso } from "./ids.ts";
import { accountKey, shopperTokenKey } from "./keys.ts";

export const LIVE_TOKEN_PREFIX = "syl_";
export const TEST_TOKEN_PREFIX = "sylt_";

/** Whether `token` is written as a limited token (either mode). */
export function isShopperToken(token: string): boolean {
  return token.startsWith(LIVE_TOKEN_PREFIX) || token.startsWith(TEST_TOKEN_PREFIX);
}
/** How long a token lives: Comecero's client keeps its cookie as long as the server says. */
const SHOPPER_TOKEN_SECONDS = 14 * 24 * 3600;

export interface ShopperToken {
  id: string;
  account_id: string;
  /** The app whose host issued it; null for a token issued on the platform host. */
  app_id: string | null;
  /** Issued through a test link: everything made with it is test data. */
  test: boolean;
  created_at: string;
  expires_at: string;
}

/** Issues a token; `until` (ms) caps its life (a test token ends with its link). */
export async function issueShopperToken(
  kv: Deno.Kv,
  grant: { accountId: string; appId: string | null; test: boolean; until?: number | null },
  now = Date.now(),
): Promise<{ token: string; record: ShopperToken }> {
  const end = Math.min(now + SHOPPER_TOKEN_SECONDS * 1000, grant.until ?? Infinity);
  const token = (grant.test ? TEST_TOKEN_PREFIX : LIVE_TOKEN_PREFIX) + randomBase62(32);
  const record: ShopperToken = {
    id: newId(now),
    account_id: grant.accountId,
    app_id: grant.appId,
    test: grant.test,
    created_at: nowIso(now),
    expires_at: nowIso(end),
  };
  const key = shopperTokenKey(await sha256Hex(token));
  await kv.atomic().check({ key, versionstamp: null })
    .set(key, record, { expireIn: Math.max(1000, end - now) }).commit();
  return { token, record };
}

/**
 * The record of `token` while it lives and its account exists; null for an unknown, malformed or
 * expired one, or one of a deleted account. Deleting an account leaves its tokens to expire by
 * themselves (it may have had millions, and they are keyed by hash, not by account), so each use
 * checks the account: one more read, eventually consistent (a replica's, cheap on Deploy), which
 * is at most moments late after a deletion.
 */
export async function findShopperToken(
  kv: Deno.Kv,
  token: string,
  now = Date.now(),
): Promise<ShopperToken | null> {
  if (!isShopperToken(token) || token.length > 100) return null;
  const record = (await kv.get<ShopperToken>(shopperTokenKey(await sha256Hex(token)))).value;
  // expireIn deletes lazily: the record may outlive its time by a little.
  if (!record || Date.parse(record.expires_at) <= now) return null;
  const account = await kv.get(accountKey(record.account_id), { consistency: "eventual" });
  return account.versionstamp === null ? null : record;
}
