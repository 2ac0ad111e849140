/**
 * Invitations to join an account. The link's secret is random; KV keeps only its SHA-256, with
 * `expireIn` equal to the invitation's 7 days, and accepting is a get, check and delete in one
 * commit that also makes the membership (STYLE "Writes to KV"): of two browsers racing with
 * one link, exactly one joins. One invitation is pending per email and account; inviting the
 * address again replaces it (a resend), so an old link stops working.
 */
import { ConflictError, NotFoundError } from "../lib/errors.ts";
import { randomBase62, sha256Hex } from "../lib/crypto.ts";
import { type AuditBy, audited } from "./audit.ts";
import { newId, nowIso } from "./ids.ts";
import {
  invitationByEmailKey,
  invitationByHashKey,
  invitationKey,
  invitationsPrefix,
  memberKey,
  membershipKey,
  personKey,
} from "./keys.ts";
import { listPage, type Page } from "./page.ts";
import {
  findPersonByEmail,
  getMember,
  type Member,
  memberOf,
  newPerson,
  normalEmail,
  type Person,
  withEmail,
} from "./people.ts";
import type { Role } from "./permissions.ts";

export const INVITATION_MS = 7 * 24 * 60 * 60_000;

/** Pending invitations an account may hold: a team is invited by hand, not by a mail-merge. */
export const MAX_PENDING_INVITATIONS = 100;

export interface Invitation {
  id: string;
  account_id: string;
  /** Lowercased. */
  email: string;
  role: Role;
  /** The person who invited; null when a token no person made (bootstrap) did. */
  invited_by: string | null;
  created_at: string;
  expires_at: string;
  /** SHA-256 of the link's secret. */
  hash: string;
}

/**
 * Invites `email` to the account with `role`; answers the invitation and the link's secret,
 * which is never stored. 409 `already_member` when that person is a member already.
 */
export async function createInvitation(
  kv: Deno.Kv,
  input: {
    accountId: string;
    email: string;
    role: Role;
    invitedBy: string | null;
    audit?: AuditBy;
  },
  now = Date.now(),
): Promise<{ secret: string; invitation: Invitation }> {
  const email = normalEmail(input.email);
  const person = await findPersonByEmail(kv, email);
  if (person && await getMember(kv, input.accountId, person.id)) {
    throw new ConflictError(`Already a member of this account: "${email}"`, "already_member");
  }
  await assertRoomForInvitation(kv, input.accountId, email, now);
  const secret = randomBase62(43);
  const invitation: Invitation = {
    id: newId(),
    account_id: input.accountId,
    email,
    role: input.role,
    invited_by: input.invitedBy,
    created_at: nowIso(now),
    expires_at: nowIso(now + INVITATION_MS),
    hash: await sha256Hex(secret),
  };
  const expireIn = INVITATION_MS;
  for (;;) {
    const pending = await kv.get<string>(invitationByEmailKey(input.accountId, email));
    const op = kv.atomic().check(pending)
      .check({ key: invitationByHashKey(invitation.hash), versionstamp: null })
      .set(invitationKey(input.accountId, invitation.id), invitation, { expireIn })
      .set(invitationByHashKey(invitation.hash), invitation, { expireIn })
      .set(invitationByEmailKey(input.accountId, email), invitation.id, { expireIn });
    if (pending.value) await dropInvitation(kv, op, input.accountId, pending.value);
    audited(op, input.audit, "member.invite", {
      target: { type: "invitation", id: invitation.id },
      summary: { email, role: invitation.role },
    });
    if ((await op.commit()).ok) return { secret, invitation };
  }
}

/** 409 `too_many_invitations` when the account holds the most pending invitations it may. */
async function assertRoomForInvitation(
  kv: Deno.Kv,
  accountId: string,
  email: string,
  now: number,
): Promise<void> {
  const page = await listInvitations(kv, accountId, { limit: MAX_PENDING_INVITATIONS }, now);
  const others = page.items.filter((item) => item.email !== email);
  if (others.length >= MAX_PENDING_INVITATIONS) {
    throw new ConflictError(
      `Too many pending invitations: at most ${MAX_PENDING_INVITATIONS}; revoke some first`,
      "too_many_invitations",
    );
  }
}

/** Adds the deletes of invitation `id` (when it is still there) to `op`. */
async function dropInvitation(
  kv: Deno.Kv,
  op: Deno.AtomicOperation,
  accountId: string,
  id: string,
): Promise<void> {
  const entry = await kv.get<Invitation>(invitationKey(accountId, id));
  op.check(entry);
  if (!entry.value) return;
  op.delete(invitationKey(accountId, id)).delete(invitationByHashKey(entry.value.hash));
}

/** The account's pending invitations, newest first (expired ones left out). */
export async function listInvitations(
  kv: Deno.Kv,
  accountId: string,
  options: { limit?: number; cursor?: string | null } = {},
  now = Date.now(),
): Promise<Page<Invitation>> {
  const page = await listPage<Invitation>(kv, invitationsPrefix(accountId), options);
  return { ...page, items: page.items.filter((item) => Date.parse(item.expires_at) > now) };
}

/** Revokes a pending invitation: its link stops working at once. 404 when there is none. */
export async function revokeInvitation(
  kv: Deno.Kv,
  accountId: string,
  id: string,
  audit?: AuditBy,
): Promise<void> {
  for (;;) {
    const entry = await kv.get<Invitation>(invitationKey(accountId, id));
    if (!entry.value) throw new NotFoundError(`No such invitation: "${id}"`);
    const byEmail = await kv.get<string>(invitationByEmailKey(accountId, entry.value.email));
    const op = kv.atomic().check(entry).check(byEmail)
      .delete(invitationKey(accountId, id))
      .delete(invitationByHashKey(entry.value.hash));
    if (byEmail.value === id) op.delete(invitationByEmailKey(accountId, entry.value.email));
    audited(op, audit, "member.invite_revoke", {
      target: { type: "invitation", id },
      summary: { email: entry.value.email, role: entry.value.role },
    });
    if ((await op.commit()).ok) return;
  }
}

/**
 * The pending invitation a link's secret names, without using it up (null when unknown, used,
 * revoked or expired): what its confirm page is shown from.
 */
export async function findInvitation(
  kv: Deno.Kv,
  secret: string,
  now = Date.now(),
): Promise<Invitation | null> {
  if (secret.length !== 43) return null;
  const entry = await kv.get<Invitation>(invitationByHashKey(await sha256Hex(secret)));
  return entry.value && Date.parse(entry.value.expires_at) > now ? entry.value : null;
}

/** Who accepted, and whether they joined now (false: they were a member already). */
export interface Accepted {
  invitation: Invitation;
  person: Person;
  joined: boolean;
}

/**
 * Uses up an invitation link. A signed-in `person` joins the account with the invited role;
 * with no one signed in, a person is made for the invited email and joins. Null when the
 * secret is unknown, used, revoked or expired (all alike to the caller); 409
 * `sign_in_to_accept` when nobody is signed in but the email already belongs to a person, who
 * must sign in first: the link alone must never open an existing person's other accounts.
 * Joining is recorded in the account's audit log in the same commit, the person joining as
 * its actor, from `ip`; a member opening their own invitation again changes nothing to log.
 */
export async function acceptInvitation(
  kv: Deno.Kv,
  secret: string,
  person: Person | null,
  now = Date.now(),
  ip: string | null = null,
): Promise<Accepted | null> {
  if (secret.length !== 43) return null;
  const hashKey = invitationByHashKey(await sha256Hex(secret));
  for (;;) {
    const entry = await kv.get<Invitation>(hashKey);
    const invitation = entry.value;
    if (!invitation || Date.parse(invitation.expires_at) <= now) return null;
    const { account_id: accountId, email } = invitation;
    if (person && person.email !== email) throw forAnotherEmail(email, person);
    const byEmail = await kv.get<string>(invitationByEmailKey(accountId, email));
    const op = kv.atomic().check(entry).check(byEmail)
      .delete(hashKey)
      .delete(invitationKey(accountId, invitation.id));
    if (byEmail.value === invitation.id) op.delete(invitationByEmailKey(accountId, email));
    if (!await inviterStillOwner(kv, op, invitation)) return null;
    const joiner = person ?? await newJoiner(kv, op, email);
    const member = await kv.get(memberKey(accountId, joiner.id));
    op.check(member);
    if (member.value === null) {
      const added = memberOf(accountId, joiner.id, invitation.role);
      op.set(memberKey(accountId, joiner.id), added).set(
        membershipKey(joiner.id, accountId),
        added,
      );
      const actor = { type: "person" as const, id: joiner.id, name: joiner.name };
      audited(op, { accountId, actor, ip }, "member.add", {
        target: { type: "person", id: joiner.id },
        summary: { email, role: invitation.role, invitation: invitation.id },
      });
    }
    if ((await op.commit()).ok) {
      return { invitation, person: joiner, joined: member.value === null };
    }
  }
}

/**
 * 409 for a signed-in person whose email is not the invited one. The link is a bearer secret
 * that can be forwarded or leaked, and what an owner invited is an email address: whoever
 * holds the link must also hold that address (their session's person was verified for it).
 */
function forAnotherEmail(email: string, person: Person): ConflictError {
  const you = person.email ? `"${person.email}"` : "a person with no email address";
  return new ConflictError(
    `This invitation is for "${email}", and you are signed in as ${you}: sign out, or sign in ` +
      `as "${email}", then open the invitation link again`,
    "invitation_for_another_email",
  );
}

/**
 * Whether the invitation's inviter is still an owner of the account, checked in `op`: an
 * invitation speaks for its inviter's ownership and dies with it. Removing or demoting the
 * inviter also revokes their invitations (`revokeInvitationsBy`), but only after that commit;
 * this check closes the moment in between. An invitation no person made (bootstrap) has none.
 */
async function inviterStillOwner(
  kv: Deno.Kv,
  op: Deno.AtomicOperation,
  invitation: Invitation,
): Promise<boolean> {
  if (invitation.invited_by === null) return true;
  const inviter = await kv.get<Member>(memberKey(invitation.account_id, invitation.invited_by));
  op.check(inviter);
  return inviter.value?.role === "owner";
}

/**
 * Revokes every pending invitation `personId` sent to the account: called when they are
 * removed from it or stop being an owner. Not in the commit that removes or demotes them, since
 * an account may hold 100 invitations (300 keys, past what one KV commit may change);
 * `acceptInvitation` refuses them meanwhile, as it checks the inviter's role in its own commit.
 */
export async function revokeInvitationsBy(
  kv: Deno.Kv,
  accountId: string,
  personId: string,
  audit?: AuditBy,
): Promise<number> {
  let revoked = 0;
  let cursor: string | null = null;
  do {
    const page: Page<Invitation> = await listPage<Invitation>(kv, invitationsPrefix(accountId), {
      limit: MAX_PENDING_INVITATIONS,
      cursor,
    });
    for (const invitation of page.items) {
      if (invitation.invited_by !== personId) continue;
      try {
        await revokeInvitation(kv, accountId, invitation.id, audit);
        revoked++;
      } catch (error) {
        // Accepted or revoked meanwhile: nothing is left to revoke.
        if (!(error instanceof NotFoundError)) throw error;
      }
    }
    cursor = page.next_cursor;
  } while (cursor !== null);
  return revoked;
}

/** A person for the invited email, created in `op`; refused when the email is someone's. */
async function newJoiner(kv: Deno.Kv, op: Deno.AtomicOperation, email: string): Promise<Person> {
  if (await findPersonByEmail(kv, email)) {
    throw new ConflictError(
      `Sign in as "${email}" first, then open the invitation link again`,
      "sign_in_to_accept",
    );
  }
  const person = newPerson(email, email.split("@")[0]);
  withEmail(op, person).check({ key: personKey(person.id), versionstamp: null })
    .set(personKey(person.id), person);
  return person;
}
