/**
 * Changing who is in an account: a member's role, and removing a member. An account always
 * keeps an owner. A change that takes an owner away checks, in its own commit, that another
 * owner's record is unchanged since it was read: of two owners demoting each other at once,
 * the second commit finds the first's record changed, reads again, and sees no other owner
 * left. By induction every commit leaves an owner in place, without a counter to keep right.
 * Each change is one function here, so the audit log can add its entry to the same commit.
 */
import { ConflictError, NotFoundError } from "../lib/errors.ts";
import { type Account, revokeTokensOf } from "./accounts.ts";
import { type AuditBy, audited } from "./audit.ts";
import { revokeInvitationsBy } from "./invitations.ts";
import { accountKey, memberKey, membershipKey, membersPrefix, sessionKey } from "./keys.ts";
import { getPerson, listMemberships, type Member, peopleByIds, type Person } from "./people.ts";
import type { Role } from "./permissions.ts";
import { getManyBatched, listPage } from "./page.ts";
import { listSessions, type Session, switchAccount } from "./sessions.ts";

/** A member with the person behind it, as the member list shows them. */
export interface MemberView {
  member: Member;
  person: Person | null;
}

/** The account's members, oldest first (the founder on top), with their names and emails. */
export async function listMembersWithPeople(
  kv: Deno.Kv,
  accountId: string,
  options: { limit?: number; cursor?: string | null } = {},
): Promise<{ items: MemberView[]; next_cursor: string | null }> {
  const page = await listPage<Member>(kv, membersPrefix(accountId), {
    ...options,
    oldestFirst: true,
  });
  const people = await peopleByIds(kv, page.items.map((member) => member.person_id));
  const items = page.items.map((member) => ({
    member,
    person: people.get(member.person_id) ?? null,
  }));
  return { items, next_cursor: page.next_cursor };
}

async function readMember(
  kv: Deno.Kv,
  accountId: string,
  personId: string,
): Promise<Deno.KvEntry<Member>> {
  const entry = await kv.get<Member>(memberKey(accountId, personId));
  if (entry.value === null) throw new NotFoundError(`No such member: "${personId}"`);
  return entry as Deno.KvEntry<Member>;
}

/** The member's name and email, as the audit log shows them beside their id. */
async function whoIs(kv: Deno.Kv, personId: string) {
  const person = await getPerson(kv, personId);
  return { name: person?.name ?? null, email: person?.email ?? null };
}

/**
 * Another owner of the account than `personId`, read now; throws 409 `last_owner` when there is
 * none. Accounts have a handful of members, so the list is read whole.
 */
async function anotherOwner(
  kv: Deno.Kv,
  accountId: string,
  personId: string,
): Promise<Deno.KvEntry<Member>> {
  for await (const entry of kv.list<Member>({ prefix: membersPrefix(accountId) })) {
    if (entry.value.role === "owner" && entry.value.person_id !== personId) return entry;
  }
  throw new ConflictError(
    "An account must keep an owner: make another member owner first",
    "last_owner",
  );
}

/**
 * Gives the member `role`; answers the member as changed. Takes effect on their next request:
 * sessions and their tokens read the role each time. An owner who stops being one loses the
 * invitations they sent (`revokeInvitationsBy`). 404 for someone not a member, 409
 * `last_owner` for the change that would leave no owner.
 */
export async function changeRole(
  kv: Deno.Kv,
  accountId: string,
  personId: string,
  role: Role,
  audit?: AuditBy,
): Promise<Member> {
  const who = await whoIs(kv, personId);
  for (;;) {
    const entry = await readMember(kv, accountId, personId);
    if (entry.value.role === role) return entry.value;
    const op = kv.atomic().check(entry);
    if (entry.value.role === "owner") op.check(await anotherOwner(kv, accountId, personId));
    // `created_at` stays: it is when they joined, which their tokens are checked against.
    const member: Member = { ...entry.value, role };
    op.set(memberKey(accountId, personId), member).set(membershipKey(personId, accountId), member);
    const result = await audited(op, audit, "member.role", {
      target: { type: "person", id: personId },
      summary: { ...who, from: entry.value.role, to: role },
    }).commit();
    if (!result.ok) continue;
    if (entry.value.role === "owner") await revokeInvitationsBy(kv, accountId, personId, audit);
    return member;
  }
}

/**
 * Removes the member from the account. Their sessions stop acting for it at their next request
 * (a session reads the membership each time), and so do the API tokens they made (they need
 * their maker's membership); those are revoked as well so the token list does not show them,
 * and sessions left in the account move to another of theirs (`moveSessionsOut`); the
 * invitations they sent are revoked (`revokeInvitationsBy`). 409
 * `last_owner` when they are its only owner.
 */
export async function removeMember(
  kv: Deno.Kv,
  accountId: string,
  personId: string,
  audit?: AuditBy,
): Promise<Member> {
  const who = await whoIs(kv, personId);
  for (;;) {
    const entry = await readMember(kv, accountId, personId);
    const op = kv.atomic().check(entry);
    if (entry.value.role === "owner") op.check(await anotherOwner(kv, accountId, personId));
    op.delete(memberKey(accountId, personId)).delete(membershipKey(personId, accountId));
    const result = await audited(op, audit, "member.remove", {
      target: { type: "person", id: personId },
      summary: { ...who, role: entry.value.role },
    }).commit();
    if (!result.ok) continue;
    await revokeTokensOf(kv, accountId, personId);
    await revokeInvitationsBy(kv, accountId, personId, audit);
    await moveSessionsOut(kv, personId, accountId);
    return entry.value;
  }
}

/** The person's memberships with each account's name (null for an account since deleted). */
export async function membershipsWithAccounts(
  kv: Deno.Kv,
  personId: string,
): Promise<{ member: Member; account: Account | null }[]> {
  const members = await listMemberships(kv, personId);
  const accounts = await getManyBatched<Account>(
    kv,
    members.map((member) => accountKey(member.account_id)),
  );
  return members.map((member, i) => ({ member, account: accounts[i].value }));
}

/**
 * Moves the person's sessions that are in `accountId` (which they just left) to another account
 * of theirs, so their browser lands somewhere they belong instead of answering 401 to every
 * call; with no other account they stay where they are and act for nothing.
 */
export async function moveSessionsOut(
  kv: Deno.Kv,
  personId: string,
  accountId: string,
): Promise<void> {
  const elsewhere = (await listMemberships(kv, personId)).find((m) => m.account_id !== accountId);
  if (!elsewhere) return;
  for (const { hash } of await listSessions(kv, personId)) {
    // The person's list keeps each session as it began; where it is now is the session itself.
    const now = await kv.get<Session>(sessionKey(hash));
    if (now.value?.account_id === accountId) await switchAccount(kv, hash, elsewhere.account_id);
  }
}
