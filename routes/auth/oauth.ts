/**
 * The KV glue of OAuth sign-in, in the shape of deno_kv_oauth: `signIn` sends the browser to the
 * provider, `handleCallback` brings it back signed in (`getSessionId` and `signOut` are
 * session.ts's `currentSession` and mod.ts's `/signout`). Each flight has a one-time `state`
 * in KV (kv/oauth_states.ts) holding its PKCE verifier and nonce, and is bound to the browser
 * that started it by a short cookie: a callback URL carried to another browser (login CSRF,
 * RFC 6749 §10.12) signs no one in there.
 */
import type { Context } from "hono";
import * as oauth from "oauth4webapi";
import { consumeOAuthState, OAUTH_STATE_MS, saveOAuthState } from "../../kv/oauth_states.ts";
import {
  createPersonWithAccount,
  findPersonByEmail,
  listMemberships,
  type Person,
} from "../../kv/people.ts";
import { randomBase62, sha256Hex, timingSafeEqual } from "../../lib/crypto.ts";
import { BadRequestError, ConflictError, UnauthenticatedError } from "../../lib/errors.ts";
import { platformUrl } from "../../lib/urls.ts";
import { clearHostCookie, readHostCookie, type SessionEnv, setHostCookie } from "./cookie.ts";
import type { ExternalIdentity, OAuthProvider } from "./oauth_provider.ts";
import { safeNext, startSession } from "./sign_in.ts";

const FLIGHT_COOKIE = "sy_oauth";

/** Where the provider sends the browser back: registered with the provider, byte for byte. */
export function callbackUrl<E extends SessionEnv>(c: Context<E>, provider: OAuthProvider): string {
  return `${platformUrl(c.get("config"))}/auth/${provider.id}/callback`;
}

/** Starts a sign-in: keeps the flight's secrets in KV and redirects to the provider. */
export async function signIn<E extends SessionEnv>(
  c: Context<E>,
  provider: OAuthProvider,
): Promise<Response> {
  const state = oauth.generateRandomState();
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const nonce = provider.usesNonce ? oauth.generateRandomNonce() : null;
  const browser = randomBase62(32);
  await saveOAuthState(c.get("kv"), state, {
    provider: provider.id,
    code_verifier: codeVerifier,
    nonce,
    next: safeNext(c.req.query("next")),
    browser: await sha256Hex(browser),
  }, c.get("config").now());
  const url = await provider.authorizationUrl({
    state,
    nonce,
    codeChallenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    redirectUri: callbackUrl(c, provider),
  });
  setFlightCookie(c, browser);
  return c.redirect(url.toString(), 302);
}

/**
 * Completes a sign-in: uses up the `state`, checks the browser is the one that started it, lets
 * the provider's module redeem the code, then signs the person in (creating them and their own
 * account at their first sign-in). Answers the redirect to where they were going.
 */
export async function handleCallback<E extends SessionEnv>(
  c: Context<E>,
  provider: OAuthProvider,
): Promise<Response> {
  const state = c.req.query("state");
  if (!state) {
    throw new BadRequestError(
      `The answer from ${provider.name} carries no "state": start the sign-in again`,
      "oauth_state_missing",
    );
  }
  const flight = await consumeOAuthState(c.get("kv"), state, provider.id, c.get("config").now());
  const browser = getFlightCookie(c);
  deleteFlightCookie(c);
  if (!flight || !browser || !timingSafeEqual(await sha256Hex(browser), flight.browser)) {
    throw new BadRequestError(
      "This sign-in is unknown, already used, expired or was started in another browser: " +
        "start it again",
      "oauth_state_invalid",
    );
  }
  const identity = await provider.identify(new URL(c.req.url), {
    state,
    codeVerifier: flight.code_verifier,
    nonce: flight.nonce,
    redirectUri: callbackUrl(c, provider),
  });
  const person = await personFor(c.get("kv"), identity);
  const memberships = await listMemberships(c.get("kv"), person.id);
  if (memberships.length === 0) {
    throw new UnauthenticatedError(
      `${identity.email} belongs to no account: ask an owner to invite you again`,
      "no_account",
    );
  }
  await startSession(c, {
    personId: person.id,
    accountId: memberships[0].account_id,
    name: person.name,
    method: provider.id,
  });
  return c.redirect(flight.next, 303);
}

/**
 * The person a verified email belongs to; someone Switchyard does not know yet gets their own
 * account, of which they are the owner. Two first sign-ins racing settle on one person.
 */
async function personFor(kv: Deno.Kv, identity: ExternalIdentity): Promise<Person> {
  const known = await findPersonByEmail(kv, identity.email);
  if (known) return known;
  try {
    const created = await createPersonWithAccount(kv, {
      email: identity.email,
      name: identity.name,
      accountName: identity.name,
    });
    return created.person;
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    const winner = await findPersonByEmail(kv, identity.email);
    if (!winner) throw error;
    return winner;
  }
}

// The flight cookie is a host cookie like the session's; its SameSite=Lax matters here, because
// the provider's redirect back is a top-level cross-site navigation, on which Lax cookies are sent.
function setFlightCookie<E extends SessionEnv>(c: Context<E>, value: string): void {
  setHostCookie(c, FLIGHT_COOKIE, value, OAUTH_STATE_MS / 1000);
}

function getFlightCookie<E extends SessionEnv>(c: Context<E>): string | undefined {
  return readHostCookie(c, FLIGHT_COOKIE);
}

function deleteFlightCookie<E extends SessionEnv>(c: Context<E>): void {
  clearHostCookie(c, FLIGHT_COOKIE);
}
