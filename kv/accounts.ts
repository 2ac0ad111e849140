/**
 * Accounts and API tokens. A token is `sy_` + 32 base62 characters (≈190 random bits) + a
 * 6-character checksum, so a leaked string is recognisable and a typo is caught before any KV
 * read. Only its SHA-256 is stored; the string itself is shown once. A token has a scope and
 * acts with the lesser of it and its creator's role (`kv/permissions.ts`); it may expire.
 */
import { NotFoundError } from "../lib/errors.ts";
import { randomBase62, sha256Hex } from "../lib/crypto.ts";
import { newId, nowIso } from "./ids.ts";
import { listPage, type Page } from "./page.ts";
import type { Grant, Role, Scope } from "./permissions.ts";
import { type AuditBy, audited } from "./audit.ts";
import {
  accountKey,
  accountTokenKey,
  accountTokensPrefix,
  defaultAccountKey,
  memberKey,
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
  /**
   * The creator's role when the token was made. A token made by a person (`person_id`) acts
   * with their role at each request instead; this one stands for the bootstrap and first-start
   * tokens, which no person made (owners).
   */
  role: Role;
  /** The person who made it; null (or absent, on older records) for bootstrap tokens. */
  person_id?: string | null;
  /** Absent on tokens made before scopes: they act as `full`. */
  scope?: Scope;
  created_at: string;
  /** When the token stops being accepted; absent or null: never. */
  expires_at?: string | null;
  /** Written at most once a minute per token (`LAST_USED_EVERY_MS`). */
  last_used_at?: string | null;
  hash: string;
}

/**
 * Whom a request acts for: the account, and the API token or the signed-in person (a session)
 * it came with, and what they may do.
 */
export interface Principal extends Grant {
  accountId: string;
  /** The API token used; null for a session. */
  tokenId: string | null;
  /** The signed-in person; null for an API token. */
  personId: string | null;
  /** Who, in words, for "by" lines: the token's or the person's name. */
  name: string;
  /**
   * The person whose role bounds what the principal may do: the signed-in person, or the
   * token's creator (null for the bootstrap and first-start tokens). A token made with a token
   * has that token's creator.
   */
  creatorId: string | null;
}

/** The scope a record acts with; records made before scopes are full tokens. */
export function scopeOf(record: TokenRecord): Scope {
  return record.scope ?? "full";
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

/** What a new token may do and for how long. */
export interface TokenOptions {
  /** Default `full`. */
  scope?: Scope;
  /** The creator's role; default `owner`. */
  role?: Role;
  /** The person making it; null or absent for tokens no person made (bootstrap). */
  personId?: string | null;
  /** RFC 3339; default: never expires. */
  expiresAt?: string | null;
  /** Who makes the token, for the audit log (absent: the platform, at its first start). */
  audit?: AuditBy;
}

/** Creates an API token for `accountId`; the returned `token` string is never stored. */
export async function createToken(
  kv: Deno.Kv,
  accountId: string,
  name: string,
  options: TokenOptions = {},
): Promise<{ token: string; record: TokenRecord }> {
  const body = randomBase62(32);
  const token = `sy_${body}${await checksum(body)}`;
  const record = await storeToken(kv, accountId, name, token, options);
  return { token, record };
}

async function storeToken(
  kv: Deno.Kv,
  accountId: string,
  name: string,
  token: string,
  options: TokenOptions = {},
): Promise<TokenRecord> {
  const hash = await sha256Hex(token);
  const record: TokenRecord = {
    id: newId(),
    account_id: accountId,
    name,
    role: options.role ?? "owner",
    person_id: options.personId ?? null,
    scope: options.scope ?? "full",
    created_at: nowIso(),
    expires_at: options.expiresAt ?? null,
    last_used_at: null,
    hash,
  };
  const op = kv.atomic()
    .check({ key: tokenByHashKey(hash), versionstamp: null })
    .set(tokenByHashKey(hash), record)
    .set(accountTokenKey(accountId, record.id), record);
  const result = await audited(op, options.audit, "token.create", {
    target: { type: "token", id: record.id },
    summary: { name, scope: record.scope ?? "full", expires_at: record.expires_at ?? null },
  }).commit();
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

/**
 * The principal a bearer token stands for, or null when it is unknown, revoked or expired, or
 * its creator is no longer a member of its account (all the same 401 to the caller). A token a
 * person made acts with their role now, read on every use, so a demotion narrows it at once;
 * their membership must be older than the token, so one who leaves and is invited back does
 * not bring their old tokens back to life. Notes the token's last use (`noteUse`).
 */
export async function authenticate(
  kv: Deno.Kv,
  token: string,
  now = Date.now(),
): Promise<Principal | null> {
  if (token.length < 32 || token.length > 256) return null;
  const { value } = await kv.get<TokenRecord>(tokenByHashKey(await sha256Hex(token)));
  if (!value) return null;
  if (value.expires_at && Date.parse(value.expires_at) <= now) return null;
  const creatorId = value.person_id ?? null;
  let role: Role = value.role ?? "owner";
  if (creatorId !== null) {
    // A member record (kv/people.ts `Member`; its type not imported: people.ts imports ours).
    const member = await kv.get<{ role: Role; created_at: string }>(
      memberKey(value.account_id, creatorId),
    );
    if (!member.value || member.value.created_at > value.created_at) return null;
    role = member.value.role;
  }
  await noteUse(kv, value, now);
  return {
    accountId: value.account_id,
    tokenId: value.id,
    personId: null,
    creatorId,
    name: value.name,
    scope: scopeOf(value),
    role,
  };
}

/** A busy CI calls many times a minute; its token's last use is written at most once a minute. */
export const LAST_USED_EVERY_MS = 60_000;

/**
 * When this process last wrote each token's `last_used_at` (ms), so most calls read nothing
 * more than the token itself; kept per KV handle, like every other piece of state here.
 */
const lastUseWritten = new WeakMap<Deno.Kv, Map<string, number>>();

/**
 * Writes `last_used_at` on the token's listed record, unless this process (or, by the stored
 * time, another) wrote it less than a minute ago. A revoke or a concurrent write wins: the
 * write checks the versionstamp it read and is dropped when it lost.
 */
async function noteUse(kv: Deno.Kv, record: TokenRecord, now: number): Promise<void> {
  let memo = lastUseWritten.get(kv);
  if (memo === undefined) lastUseWritten.set(kv, memo = new Map());
  const written = memo.get(record.id);
  if (written !== undefined && now - written < LAST_USED_EVERY_MS && now >= written) return;
  const key = accountTokenKey(record.account_id, record.id);
  const listed = await kv.get<TokenRecord>(key);
  if (!listed.value) return;
  const stored = listed.value.last_used_at ? Date.parse(listed.value.last_used_at) : null;
  if (stored !== null && now - stored < LAST_USED_EVERY_MS && now >= stored) {
    memo.set(record.id, stored);
    return;
  }
  memo.set(record.id, now);
  const last_used_at = new Date(now).toISOString();
  await kv.atomic().check(listed).set(key, { ...listed.value, last_used_at }).commit();
}

export function listTokens(
  kv: Deno.Kv,
  accountId: string,
  options: { limit?: number; cursor?: string | null } = {},
): Promise<Page<TokenRecord>> {
  return listPage<TokenRecord>(kv, accountTokensPrefix(accountId), options);
}

/** Revokes a token. A concurrent write of its last use is read again, never overwritten. */
export async function revokeToken(
  kv: Deno.Kv,
  accountId: string,
  tokenId: string,
  audit?: AuditBy,
): Promise<void> {
  for (;;) {
    const record = await kv.get<TokenRecord>(accountTokenKey(accountId, tokenId));
    if (!record.value) throw new NotFoundError(`No such token: "${tokenId}"`);
    const op = kv.atomic()
      .check(record)
      .delete(accountTokenKey(accountId, tokenId))
      .delete(tokenByHashKey(record.value.hash));
    const result = await audited(op, audit, "token.revoke", {
      target: { type: "token", id: tokenId },
      summary: { name: record.value.name },
    }).commit();
    if (result.ok) return;
  }
}

/**
 * Revokes every token `personId` made in the account (they left it). Those tokens are refused
 * already, since a token needs its maker's membership; this clears them from the list.
 */
export async function revokeTokensOf(
  kv: Deno.Kv,
  accountId: string,
  personId: string,
): Promise<number> {
  const ids: string[] = [];
  for await (const entry of kv.list<TokenRecord>({ prefix: accountTokensPrefix(accountId) })) {
    if (entry.value.person_id === personId) ids.push(entry.value.id);
  }
  for (const id of ids) {
    await revokeToken(kv, accountId, id).catch((error) => {
      // Revoked meanwhile by someone else: the end is the same.
      if (!(error instanceof NotFoundError)) throw error;
    });
  }
  return ids.length;
}
