/**
 * People and their memberships. A person is whoever signs in (OAuth, passkey, a one-time
 * link); an account (a merchant) has members, each a person with a role. A person may belong to
 * several accounts and switch between them. The member record is kept twice, under the account
 * (`memberKey`, for its member list) and under the person (`membershipKey`, for the accounts
 * they may switch to), always written in one commit.
 */
import { ConflictError } from "../lib/errors.ts";
import type { Account } from "./accounts.ts";
import { newId, nowIso } from "./ids.ts";
import {
  accountKey,
  defaultOwnerKey,
  memberKey,
  membershipKey,
  membershipsPrefix,
  membersPrefix,
  personByEmailKey,
  personKey,
} from "./keys.ts";
import { getManyBatched, listPage, type Page } from "./page.ts";
import type { Role } from "./permissions.ts";
import { type AuditBy, audited } from "./audit.ts";

export interface Person {
  id: string;
  /** Lowercased; null for the default account's first owner until they give one. */
  email: string | null;
  name: string;
  created_at: string;
}

export interface Member {
  account_id: string;
  person_id: string;
  role: Role;
  created_at: string;
}

/** Emails compare case-insensitively (RFC 5321 allows otherwise; no provider does). */
export function normalEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function getPerson(kv: Deno.Kv, personId: string): Promise<Person | null> {
  return (await kv.get<Person>(personKey(personId))).value;
}

export async function findPersonByEmail(kv: Deno.Kv, email: string): Promise<Person | null> {
  const id = (await kv.get<string>(personByEmailKey(normalEmail(email)))).value;
  return id ? await getPerson(kv, id) : null;
}

/** The person's membership of `accountId`, or null when they are not (or no longer) a member. */
export async function getMember(
  kv: Deno.Kv,
  accountId: string,
  personId: string,
): Promise<Member | null> {
  return (await kv.get<Member>(memberKey(accountId, personId))).value;
}

/** Every account the person belongs to (a person belongs to a handful: one list call). */
export async function listMemberships(kv: Deno.Kv, personId: string): Promise<Member[]> {
  const members: Member[] = [];
  for await (const entry of kv.list<Member>({ prefix: membershipsPrefix(personId) })) {
    members.push(entry.value);
  }
  return members;
}

export function listMembers(
  kv: Deno.Kv,
  accountId: string,
  options: { limit?: number; cursor?: string | null } = {},
): Promise<Page<Member>> {
  return listPage<Member>(kv, membersPrefix(accountId), { ...options, oldestFirst: true });
}

export function newPerson(email: string | null, name: string): Person {
  return {
    id: newId(),
    email: email === null ? null : normalEmail(email),
    name,
    created_at: nowIso(),
  };
}

export function memberOf(accountId: string, personId: string, role: Role): Member {
  return { account_id: accountId, person_id: personId, role, created_at: nowIso() };
}

/** Adds the person's email index to a commit creating them (the address must be free). */
export function withEmail(op: Deno.AtomicOperation, person: Person): Deno.AtomicOperation {
  if (person.email === null) return op;
  return op.check({ key: personByEmailKey(person.email), versionstamp: null })
    .set(personByEmailKey(person.email), person.id);
}

/**
 * Creates a person together with their own account, of which they are the owner: the first
 * sign-in of someone Switchyard does not know. 409 `email_taken` when the address already
 * belongs to someone (sign them in instead).
 */
export async function createPersonWithAccount(
  kv: Deno.Kv,
  input: { email: string | null; name: string; accountName: string },
): Promise<{ person: Person; account: Account }> {
  const person = newPerson(input.email, input.name);
  const account: Account = { id: newId(), name: input.accountName, created_at: nowIso() };
  const member = memberOf(account.id, person.id, "owner");
  const result = await withEmail(kv.atomic(), person)
    .check({ key: personKey(person.id), versionstamp: null })
    .check({ key: accountKey(account.id), versionstamp: null })
    .set(personKey(person.id), person)
    .set(accountKey(account.id), account)
    .set(memberKey(account.id, person.id), member)
    .set(membershipKey(person.id, account.id), member)
    .commit();
  if (!result.ok) {
    throw new ConflictError(`Email is already in use: "${input.email}"`, "email_taken");
  }
  return { person, account };
}

/** Creates a person with no account yet (one who accepts an invitation). */
export async function createPerson(
  kv: Deno.Kv,
  input: { email: string | null; name: string },
): Promise<Person> {
  const person = newPerson(input.email, input.name);
  const result = await withEmail(kv.atomic(), person)
    .check({ key: personKey(person.id), versionstamp: null })
    .set(personKey(person.id), person)
    .commit();
  if (!result.ok) {
    throw new ConflictError(`Email is already in use: "${input.email}"`, "email_taken");
  }
  return person;
}

/** Makes the person a member of the account with `role`; 409 when they already are one. */
export async function addMember(
  kv: Deno.Kv,
  accountId: string,
  personId: string,
  role: Role,
  audit?: AuditBy,
): Promise<Member> {
  const member = memberOf(accountId, personId, role);
  const op = kv.atomic()
    .check({ key: memberKey(accountId, personId), versionstamp: null })
    .set(memberKey(accountId, personId), member)
    .set(membershipKey(personId, accountId), member);
  const result = await audited(op, audit, "member.add", {
    target: { type: "person", id: personId },
    summary: { role },
  }).commit();
  if (!result.ok) throw new ConflictError("Already a member of this account", "already_member");
  return member;
}

/**
 * The default account's first owner: made on the first start (a race settles on one), so the
 * one-time sign-in link printed at start has someone to sign in. They may add an email later.
 */
export async function ensureDefaultOwner(kv: Deno.Kv, accountId: string): Promise<Person> {
  for (;;) {
    const pointer = await kv.get<string>(defaultOwnerKey());
    if (pointer.value) {
      const person = await getPerson(kv, pointer.value);
      if (person) return person;
    }
    const person = newPerson(null, "Owner");
    const member = memberOf(accountId, person.id, "owner");
    const result = await kv.atomic()
      .check(pointer)
      .check({ key: personKey(person.id), versionstamp: null })
      .set(defaultOwnerKey(), person.id)
      .set(personKey(person.id), person)
      .set(memberKey(accountId, person.id), member)
      .set(membershipKey(person.id, accountId), member)
      .commit();
    if (result.ok) return person;
  }
}

/** The people with these ids (absent ones left out), read ten per `getMany`. */
export async function peopleByIds(
  kv: Deno.Kv,
  ids: readonly (string | null | undefined)[],
): Promise<Map<string, Person>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  const entries = await getManyBatched<Person>(kv, wanted.map((id) => personKey(id)));
  const people = new Map<string, Person>();
  for (const entry of entries) if (entry.value) people.set(entry.value.id, entry.value);
  return people;
}
