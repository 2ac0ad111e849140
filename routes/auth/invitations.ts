/**
 * Accepting an invitation to an account: `GET /auth/invitations/{secret}`, the link an owner
 * sent. A signed-in person joins at once and their session moves to the account; someone not
 * signed in gets a person made for the invited email and is signed in (a new session, as at
 * every sign-in). An email that already belongs to a person must sign in first: they are sent
 * to the sign-in page, which brings them back here.
 */
import type { Context } from "hono";
import { acceptInvitation } from "../../kv/invitations.ts";
import { getPerson } from "../../kv/people.ts";
import { switchAccount } from "../../kv/sessions.ts";
import { ConflictError, NotFoundError } from "../../lib/errors.ts";
import type { SessionEnv } from "./cookie.ts";
import { currentSession } from "./session.ts";
import { startSession } from "./sign_in.ts";

export async function acceptInvitationLink<E extends SessionEnv>(
  c: Context<E>,
  secret: string,
): Promise<Response> {
  const kv = c.get("kv");
  const open = await currentSession(c);
  const person = open ? await getPerson(kv, open.session.person_id) : null;
  let accepted;
  try {
    accepted = await acceptInvitation(kv, secret, person, c.get("config").now());
  } catch (error) {
    if (error instanceof ConflictError && error.code === "sign_in_to_accept") {
      const next = encodeURIComponent(`/auth/invitations/${secret}`);
      return c.redirect(`/signin?next=${next}`, 303);
    }
    throw error;
  }
  if (!accepted) {
    throw new NotFoundError(
      "This invitation is unknown, used, revoked or expired; ask the account's owner for a new one",
      "invitation_invalid",
    );
  }
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
