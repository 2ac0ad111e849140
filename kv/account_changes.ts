/**
 * Changing an account itself: its name, and deleting it. Deleting is refused for the default
 * account (the platform's own, which the bootstrap token and start-up link belong to) and for an
 * account that still has apps: the owner deletes those first, deliberately, one by one, since
 * deleting an app takes its storefront off the web. The check on "no apps" holds atomically:
 * `createApp` rewrites the account record in its commit, so the delete's check of the record it
 * read beside an empty app list fails when an app came meanwhile, and the delete commit (which
 * removes the record) fails `createApp`'s check of the record it read.
 */
import { ConflictError, NotFoundError } from "../lib/errors.ts";
import type { Account } from "./accounts.ts";
import { type AuditBy, audited } from "./audit.ts";
import {
  accountAppsPrefix,
  accountKey,
  accountTokensPrefix,
  blobChunksPrefix,
  blobsPrefix,
  defaultAccountKey,
  gcCandidatesPrefix,
  invitationByEmailKey,
  invitationByHashKey,
  invitationsPrefix,
  membershipKey,
  membersPrefix,
  tokenByHashKey,
} from "./keys.ts";
import type { Member } from "./people.ts";
import { allKeys, deleteAll } from "./page.ts";
import { moveSessionsOut } from "./members.ts";
import type { Invitation } from "./invitations.ts";

async function readAccount(kv: Deno.Kv, accountId: string): Promise<Deno.KvEntry<Account>> {
  const entry = await kv.get<Account>(accountKey(accountId));
  if (!entry.value) throw new NotFoundError(`No such account: "${accountId}"`);
  return entry as Deno.KvEntry<Account>;
}

/** Renames the account; a concurrent change is read again, never overwritten. */
export async function renameAccount(
  kv: Deno.Kv,
  accountId: string,
  name: string,
  audit?: AuditBy,
): Promise<Account> {
  for (;;) {
    const entry = await readAccount(kv, accountId);
    const account = { ...entry.value, name };
    const op = kv.atomic().check(entry).set(accountKey(accountId), account);
    const result = await audited(op, audit, "account.update", {
      summary: { from: entry.value.name, name },
    }).commit();
    if (result.ok) return account;
  }
}

/**
 * Deletes the account with its members, tokens, invitations and left-over blobs. 409
 * `default_account` for the platform's default account, 409 `account_not_empty` while it has
 * apps. Its members' sessions in it move to another of their accounts, or act for nothing.
 *
 * The account's audit log is kept, not deleted with it, and the delete itself is its last
 * entry, written in the commit that removes the account record: "who deleted our account, and
 * when" is the one question left to ask about it, and the operator can answer it from KV. The
 * log asks for no sweep: every entry expires on its own a year after it was written, and
 * account ids are never reused, so no new account inherits it.
 */
export async function deleteAccount(
  kv: Deno.Kv,
  accountId: string,
  audit?: AuditBy,
): Promise<void> {
  for (;;) {
    const [entry, pointer] = await Promise.all([
      readAccount(kv, accountId),
      kv.get<string>(defaultAccountKey()),
    ]);
    if (pointer.value === accountId) {
      throw new ConflictError("The default account cannot be deleted", "default_account");
    }
    for await (const _ of kv.list({ prefix: accountAppsPrefix(accountId) }, { limit: 1 })) {
      throw new ConflictError(
        "Delete the account's apps first: deleting an account never takes a storefront down",
        "account_not_empty",
      );
    }
    const op = kv.atomic().check(entry).delete(accountKey(accountId));
    const result = await audited(op, audit, "account.delete", {
      summary: { name: entry.value.name },
    }).commit();
    if (result.ok) break;
  }
  // The account is gone (every request for it now fails); what hung off it follows.
  const people: string[] = [];
  await deleteAll(kv, memberKeys(kv, accountId, people));
  for (const personId of people) await moveSessionsOut(kv, personId, accountId);
  await deleteAll(kv, tokenKeys(kv, accountId));
  await deleteAll(kv, invitationKeys(kv, accountId));
  for (const prefix of [blobsPrefix, blobChunksPrefix, gcCandidatesPrefix]) {
    await deleteAll(kv, allKeys(kv, prefix(accountId)));
  }
}

/** The member keys both ways; `people` is given every member's person id. */
async function* memberKeys(
  kv: Deno.Kv,
  accountId: string,
  people: string[],
): AsyncGenerator<Deno.KvKey> {
  for await (const entry of kv.list<Member>({ prefix: membersPrefix(accountId) })) {
    people.push(entry.value.person_id);
    yield entry.key;
    yield membershipKey(entry.value.person_id, accountId);
  }
}

async function* tokenKeys(kv: Deno.Kv, accountId: string): AsyncGenerator<Deno.KvKey> {
  for await (const entry of kv.list<{ hash: string }>({ prefix: accountTokensPrefix(accountId) })) {
    yield entry.key;
    yield tokenByHashKey(entry.value.hash);
  }
}

async function* invitationKeys(kv: Deno.Kv, accountId: string): AsyncGenerator<Deno.KvKey> {
  for await (const entry of kv.list<Invitation>({ prefix: invitationsPrefix(accountId) })) {
    yield entry.key;
    yield invitationByHashKey(entry.value.hash);
    yield invitationByEmailKey(accountId, entry.value.email);
  }
}
