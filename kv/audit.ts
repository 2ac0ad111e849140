/**
 * The audit log: every change an account makes, with who made it (a member or an API token),
 * when, what and from which address. An entry is written in the same atomic commit as the change
 * it records (`audited` adds it to the caller's operation), so the log can neither miss a change
 * that happened nor show one that did not; where a change takes several commits the function
 * making it says which commit carries the entry. Entries are kept a year (`expireIn`), three
 * times: by account, and indexed by app and by actor so the API's filters page exactly.
 */
import { ValidationError } from "../lib/errors.ts";
import { newId, nowIso } from "./ids.ts";
import {
  auditByActorKey,
  auditByActorPrefix,
  auditByAppKey,
  auditByAppPrefix,
  auditKey,
  auditPrefix,
} from "./keys.ts";
import type { Page } from "./page.ts";

/**
 * What can be recorded, as `thing.verb`. Listed ahead of the routes that make some of them
 * (members, passkeys), so the API documents one closed list.
 */
export const AUDIT_ACTIONS = [
  "app.create",
  "app.delete",
  "version.create",
  "version.ready",
  "version.delete",
  "live.promote",
  "live.split",
  "live.rollback",
  "schedule.create",
  "schedule.cancel",
  "link.create",
  "link.revoke",
  "settings.update",
  "token.create",
  "token.revoke",
  "member.invite",
  "member.invite_revoke",
  "member.add",
  "member.role",
  "member.remove",
  "account.update",
  "account.delete",
  "passkey.add",
  "passkey.remove",
  "session.sign_in",
  "product.create",
  "product.update",
  "product.delete",
  "shopping_options.update",
] as const;

export type AuditAction = typeof AUDIT_ACTIONS[number];

/** Who acted: a signed-in member (person) or an API token, by id and by name at the time. */
export interface AuditActor {
  type: "person" | "token";
  id: string;
  name: string;
}

/** Who makes a change, for which account and from where: what a route hands a `kv/` function. */
export interface AuditBy {
  accountId: string;
  actor: AuditActor;
  ip: string | null;
}

/**
 * The actor a request's principal (`Principal` of kv/accounts.ts, which imports this module) is:
 * its API token, else its signed-in person.
 */
export function actorOf(
  principal: { tokenId: string | null; personId: string | null; name: string },
): AuditActor {
  return principal.tokenId !== null
    ? { type: "token", id: principal.tokenId, name: principal.name }
    : { type: "person", id: principal.personId ?? "", name: principal.name };
}

/** A few facts about a change (version numbers, a name), never a whole record. */
export type AuditSummary = Record<string, string | number | boolean | null>;

export interface AuditEntry {
  id: string;
  account_id: string;
  at: string;
  actor: AuditActor;
  action: AuditAction;
  /** The app changed, by id and by its slug then (a slug can be reused after a delete). */
  app: { id: string; slug: string } | null;
  /** The thing changed within the app or account (`version` 7, `token` 01j…). */
  target: { type: string; id: string } | null;
  summary: AuditSummary;
  ip: string | null;
}

/** What changed, beside who changed it. */
export interface AuditWhat {
  app?: { id: string; slug: string } | null;
  target?: { type: string; id: string | number } | null;
  summary?: AuditSummary;
}

/** A year: long enough to answer "who changed this last spring", short enough to bound the log. */
const AUDIT_RETENTION_MS = 365 * 24 * 3_600_000;

/** Summary strings are labels and names: cut so one entry stays far below KV's 64 KiB. */
const MAX_SUMMARY_TEXT = 200;

/** The entry recording `action` by `by` now. */
export function auditEntry(
  by: AuditBy,
  action: AuditAction,
  what: AuditWhat = {},
  now = Date.now(),
): AuditEntry {
  const summary: AuditSummary = {};
  for (const [name, value] of Object.entries(what.summary ?? {})) {
    summary[name] = typeof value === "string" ? value.slice(0, MAX_SUMMARY_TEXT) : value;
  }
  return {
    id: newId(now),
    account_id: by.accountId,
    at: nowIso(now),
    actor: by.actor,
    action,
    app: what.app ? { id: what.app.id, slug: what.app.slug } : null,
    target: what.target ? { type: what.target.type, id: String(what.target.id) } : null,
    summary,
    ip: by.ip,
  };
}

/** Adds `entry` (and its indexes) to a commit; nothing when there is no entry. */
export function withAudit(
  op: Deno.AtomicOperation,
  entry: AuditEntry | null | undefined,
): Deno.AtomicOperation {
  if (!entry) return op;
  const options = { expireIn: AUDIT_RETENTION_MS };
  op.set(auditKey(entry.account_id, entry.id), entry, options)
    .set(auditByActorKey(entry.account_id, entry.actor.id, entry.id), entry, options);
  if (entry.app) op.set(auditByAppKey(entry.account_id, entry.app.id, entry.id), entry, options);
  return op;
}

/**
 * Adds the entry for `action` by `by` to a commit making that change; nothing when `by` is
 * absent (a change the platform makes itself, like seeding the demo).
 */
export function audited(
  op: Deno.AtomicOperation,
  by: AuditBy | undefined,
  action: AuditAction,
  what: AuditWhat = {},
): Deno.AtomicOperation {
  return withAudit(op, by ? auditEntry(by, action, what) : null);
}

/** Writes an entry in a commit of its own: for a change whose own commit is not ours to extend. */
export async function recordAudit(kv: Deno.Kv, entry: AuditEntry): Promise<void> {
  await withAudit(kv.atomic(), entry).commit();
}

/** Entries one page may look through when both filters are given (the rest go to the cursor). */
const SCAN_LIMIT = 1_000;
const MAX_PAGE = 100;

export interface AuditQuery {
  appId?: string | null;
  actorId?: string | null;
  limit?: number;
  cursor?: string | null;
}

/**
 * A page of the account's log, newest first. One filter reads its index, so the page is exact;
 * both read the app's index and keep the actor's entries, looking through at most 1,000 entries
 * a page (a page may then come back short, with a cursor to go on from).
 */
export async function listAudit(
  kv: Deno.Kv,
  accountId: string,
  query: AuditQuery = {},
): Promise<Page<AuditEntry>> {
  const { appId, actorId } = query;
  const prefix = appId
    ? auditByAppPrefix(accountId, appId)
    : actorId
    ? auditByActorPrefix(accountId, actorId)
    : auditPrefix(accountId);
  const keep = appId && actorId ? (entry: AuditEntry) => entry.actor.id === actorId : () => true;
  const limit = Math.min(query.limit ?? 50, MAX_PAGE);
  const iter = kv.list<AuditEntry>({ prefix }, {
    cursor: query.cursor || undefined,
    reverse: true,
    limit: SCAN_LIMIT,
  });
  const items: AuditEntry[] = [];
  let scanned = 0;
  try {
    for await (const entry of iter) {
      scanned++;
      if (keep(entry.value)) items.push(entry.value);
      if (items.length === limit) break;
    }
  } catch (error) {
    if (query.cursor) throw new ValidationError(`Invalid cursor: "${query.cursor}"`);
    throw error;
  }
  const more = items.length === limit || scanned === SCAN_LIMIT;
  return { items, next_cursor: more && scanned > 0 ? iter.cursor : null };
}
