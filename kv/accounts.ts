/**
 * Accounts and API tokens. A token is `sy_` + 32 base62 characters (≈190 random bits) + a
 * 6-character checksum, so a leaked string is recognisable and a typo is caught before any KV
 * read. Only its SHA-256 is stored; the string itself is shown once.
 */
import { NotFoundError } from "../lib/errors.ts";
import { randomBase62, sha256Hex } from "../lib/crypto.ts";
import { newId, nowIso } from "./ids.ts";
import { listPage, type Page } from "./page.ts";
import {
  accountKey,
  accountTokenKey,
  accountTokensPrefix,
  defaultAccountKey,
  tokenByHashKey,
} from "./keys.ts";

export interface Account {
  id: string;
  name: string;
  /** ISO 4217 codes the account sells in (first is the default). */
  currencies?: string[];
  created_at: string;
}

export interface TokenRecord {
  id: string;
  account_id: string;
  name: string;
  role: "owner";
  created_at: string;
  hash: string;
}

export interface Principal {
  accountId: string;
  tokenId: string;
  name: string;
}

/** Returns the default account, creating it on first start (a race settles on one). */
export async function ensureDefaultAccount(kv: Deno.Kv): Promise<Account> {
  for (;;) {
    const pointer = await kv.get<string>(defaultAccountKey());
    if (pointer.value) {
      const account = await kv.get<Account>(accountKey(pointer.value));
      if (account.value) return account.value;
    }
    const account: Account = { id: newId(), name: "Default account", created_at: nowIso() };
    const result = await kv.atomic()
      .check({ key: defaultAccountKey(), versionstamp: null })
      .check({ key: accountKey(account.id), versionstamp: null })
      .set(defaultAccountKey(), account.id)
      .set(accountKey(account.id), account)
      .commit();
    if (result.ok) return account;
  }
}

export async function getAccount(kv: Deno.Kv, accountId: string): Promise<Account | null> {
  return (await kv.get<Account>(accountKey(accountId))).value;
}

/** Creates another account (sign-up); the default account is made by `ensureDefaultAccount`. */
export async function createAccount(kv: Deno.Kv, name: string): Promise<Account> {
  const account: Account = { id: newId(), name, created_at: nowIso() };
  await kv.atomic()
    .check({ key: accountKey(account.id), versionstamp: null })
    .set(accountKey(account.id), account)
    .commit();
  return account;
}

async function checksum(body: string): Promise<string> {
  return (await sha256Hex(`switchyard-token:${body}`)).slice(0, 6);
}

/** True when `token` has our shape and its checksum holds (no KV read needed to say no). */
export async function isWellFormedToken(token: string): Promise<boolean> {
  const match = /^sy_([0-9A-Za-z]{32})([0-9a-f]{6})$/.exec(token);
  return match !== null && match[2] === await checksum(match[1]);
}

/** Creates an API token for `accountId`; the returned `token` string is never stored. */
export async function createToken(
  kv: Deno.Kv,
  accountId: string,
  name: string,
): Promise<{ token: string; record: TokenRecord }> {
  const body = randomBase62(32);
  const token = `sy_${body}${await checksum(body)}`;
  const record = await storeToken(kv, accountId, name, token);
  return { token, record };
}

async function storeToken(
  kv: Deno.Kv,
  accountId: string,
  name: string,
  token: string,
): Promise<TokenRecord> {
  const hash = await sha256Hex(token);
  const record: TokenRecord = {
    id: newId(),
    account_id: accountId,
    name,
    role: "owner",
    created_at: nowIso(),
    hash,
  };
  const result = await kv.atomic()
    .check({ key: tokenByHashKey(hash), versionstamp: null })
    .set(tokenByHashKey(hash), record)
    .set(accountTokenKey(accountId, record.id), record)
    .commit();
  if (!result.ok) {
    const existing = await kv.get<TokenRecord>(tokenByHashKey(hash));
    if (existing.value) return existing.value;
  }
  return record;
}

/**
 * Registers `SWITCHYARD_BOOTSTRAP_TOKEN` as an owner token of the default account. Idempotent:
 * a second start with the same token finds it by hash and changes nothing.
 */
export async function registerBootstrapToken(
  kv: Deno.Kv,
  accountId: string,
  token: string,
): Promise<TokenRecord> {
  const existing = await kv.get<TokenRecord>(tokenByHashKey(await sha256Hex(token)));
  return existing.value ?? await storeToken(kv, accountId, "bootstrap", token);
}

/** The principal a bearer token stands for, or null when it is unknown or revoked. */
export async function authenticate(kv: Deno.Kv, token: string): Promise<Principal | null> {
  if (token.length < 32 || token.length > 256) return null;
  const record = await kv.get<TokenRecord>(tokenByHashKey(await sha256Hex(token)));
  if (!record.value) return null;
  return { accountId: record.value.account_id, tokenId: record.value.id, name: record.value.name };
}

export function listTokens(
  kv: Deno.Kv,
  accountId: string,
  options: { limit?: number; cursor?: string | null } = {},
): Promise<Page<TokenRecord>> {
  return listPage<TokenRecord>(kv, accountTokensPrefix(accountId), options);
}

export async function revokeToken(kv: Deno.Kv, accountId: string, tokenId: string): Promise<void> {
  const record = await kv.get<TokenRecord>(accountTokenKey(accountId, tokenId));
  if (!record.value) throw new NotFoundError(`No such token: "${tokenId}"`);
  await kv.atomic()
    .check(record)
    .delete(accountTokenKey(accountId, tokenId))
    .delete(tokenByHashKey(record.value.hash))
    .commit();
}
