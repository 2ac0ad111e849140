/**
 * Accepting an invitation to an account: `/auth/invitations/{secret}`, the link an owner sent.
 * Its GET answers a confirm page ("Join <account>") and uses nothing up, since mail scanners
 * prefetch links; the page's POST accepts. A signed-in person with the invited email (anyone
 * else is refused: 409 `invitation_for_another_email`) joins at once and their session
 * moves to the account; someone not signed in gets a person made for the invited email and is
 * signed in (a new session, as at every sign-in). An email that already belongs to a person must
 * sign in first: they are sent to the sign-in page, which brings them back here.
 */
import type { Context } from "hono";
import { getAccount } from "../../kv/accounts.ts";
import { acceptInvitation, findInvitation } from "../../kv/invitations.ts";
import { getPerson } from "../../kv/people.ts";
import { switchAccount } from "../../kv/sessions.ts";
import { ConflictError, NotFoundError } from "../../lib/errors.ts";
import type { SessionEnv } from "./cookie.ts";
import { confirmPage } from "./confirm_page.ts";
import { currentSession } from "./session.ts";
import { requestAddress, startSession } from "./sign_in.ts";

function invitationInvalid(): NotFoundError {
  return new NotFoundError(
    "This invitation is unknown, used, revoked or expired; ask the account's owner for a new one",
    "invitation_invalid",
  );
}

/** GET: the confirm page of a pending invitation; 404 `invitation_invalid` for any other. */
export async function invitationPage<E extends SessionEnv>(c: Context<E>): Promise<Response> {
  const kv = c.get("kv");
  const invitation = await findInvitation(kv, c.req.param("secret") ?? "", c.get("config").now());
  const account = invitation ? await getAccount(kv, invitation.account_id) : null;
  if (!invitation || !account) throw invitationInvalid();
  const inviter = invitation.invited_by ? await getPerson(kv, invitation.invited_by) : null;
  return await confirmPage(c, {
    title: `Join ${account.name}`,
    text: `${inviter?.name ?? "The owner"} invited ${invitation.email} to join ` +
      `${account.name} on Switchyard as ${invitation.role}.` +
      await signedInAsOther(c, invitation.email),
    action: new URL(c.req.url).pathname,
    button: `Join ${account.name}`,
  });
}

/**
 * A warning for the confirm page when someone signed in with another email opens it: only the
 * invited address may accept (kv/invitations.ts `acceptInvitation`), so say so before the
 * button, naming both addresses, rather than only after it.
 */
async function signedInAsOther<E extends SessionEnv>(c: Context<E>, email: string) {
  const open = await currentSession(c);
  const person = open ? await getPerson(c.get("kv"), open.session.person_id) : null;
  if (!person || person.email === email) return "";
  const you = person.email ?? "a person with no email address";
  return ` You are signed in as ${you}: sign out, or sign in as ${email}, to accept it.`;
}

/** POST (the confirm page's form): accepts the invitation. */
export async function acceptInvitationLink<E extends SessionEnv>(
  c: Context<E>,
  secret: string,
): Promise<Response> {
  const kv = c.get("kv");
  const open = await currentSession(c);
  const person = open ? await getPerson(kv, open.session.person_id) : null;
  let accepted;
  try {
    accepted = await acceptInvitation(kv, secret, person, c.get("config").now(), requestAddress(c));
  } catch (error) {
    if (error instanceof ConflictError && error.code === "sign_in_to_accept") {
      const next = encodeURIComponent(`/auth/invitations/${secret}`);
      return c.redirect(`/signin?next=${next}`, 303);
    }
    throw error;
  }
  if (!accepted) throw invitationInvalid();
  const accountId = accepted.invitation.account_id;
  if (open && person) {
    await switchAccount(kv, open.hash, accountId);
  } else {
    await startSession(c, {
      personId: accepted.person.id,
      accountId,
      name: accepted.person.name,
      method: "invitation",
    });
  }
  return c.redirect("/", 303);
}
