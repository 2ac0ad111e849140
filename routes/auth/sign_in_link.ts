/**
 * `/auth/link/{secret}`: a one-time sign-in link. The start-up link (purpose `start`, printed to
 * the operator's terminal, which no mail scanner reads) signs in on the GET, in one click. An
 * emailed link (purpose `email`) answers a confirm page on GET, which leaves it working, and is
 * used up by the page's POST: a mail security scanner prefetching the link cannot spend it.
 */
import type { Context } from "hono";
import { getPerson, listMemberships } from "../../kv/people.ts";
import { consumeSignInLink, peekSignInLink, type SignInLink } from "../../kv/signin_links.ts";
import { UnauthenticatedError } from "../../lib/errors.ts";
import { confirmPage } from "./confirm_page.ts";
import type { AuthEnv } from "./env.ts";
import { assertSameOrigin } from "./session.ts";
import { safeNext, startSession } from "./sign_in.ts";

function linkInvalid(): UnauthenticatedError {
  return new UnauthenticatedError(
    "This sign-in link is unknown, used or expired; ask for a new one",
    "sign_in_link_invalid",
  );
}

/** GET: the start-up link signs in; an emailed one shows its confirm page. */
export async function openSignInLink(c: Context<AuthEnv>): Promise<Response> {
  const kv = c.get("kv");
  const link = await peekSignInLink(kv, c.req.param("secret") ?? "", c.get("config").now());
  if (!link) throw linkInvalid();
  if (link.purpose !== "email") return await useSignInLink(c);
  const person = await getPerson(kv, link.person_id);
  if (!person) throw linkInvalid();
  const url = new URL(c.req.url);
  return await confirmPage(c, {
    title: "Sign in to Switchyard",
    text: `You are signing in as ${person.email ?? person.name}.`,
    action: url.pathname + url.search,
    button: "Sign in",
  });
}

/** POST (the confirm page's form), and the start-up link's GET: uses the link up, signs in. */
export async function useSignInLink(c: Context<AuthEnv>): Promise<Response> {
  assertSameOrigin(c);
  const kv = c.get("kv");
  const link = await consumeSignInLink(kv, c.req.param("secret") ?? "", c.get("config").now());
  if (!link) throw linkInvalid();
  await signInWith(c, link);
  return c.redirect(safeNext(c.req.query("next")), 303);
}

/** Starts the link's person's session, in the link's account when they are still in it. */
async function signInWith(c: Context<AuthEnv>, link: SignInLink): Promise<void> {
  const kv = c.get("kv");
  const person = await getPerson(kv, link.person_id);
  if (!person) throw linkInvalid();
  const memberships = await listMemberships(kv, person.id);
  const accountId = memberships.find((m) => m.account_id === link.account_id)?.account_id ??
    memberships[0]?.account_id;
  if (!accountId) throw new UnauthenticatedError("This person belongs to no account");
  await startSession(c, {
    personId: person.id,
    accountId,
    name: person.name,
    method: link.purpose === "email" ? "email" : "link",
  });
}
