/**
 * The platform's rate limits on the ways in (kv/rate_limits.ts keeps the counts in KV, so they
 * hold across processes and regions): failed sign-ins and bad API tokens per address, and
 * "email me a sign-in link" per address and per email. Over a limit the answer is the usual
 * error JSON with 429 and `Retry-After` (a `RateLimitedError`, mapped in routes/errors.ts).
 */
import type { Context, MiddlewareHandler } from "hono";
import {
  addressSubject,
  checkLimit,
  emailSubject,
  giveBackLimit,
  LIMITS,
  noteFailure,
  takeLimit,
} from "../../kv/rate_limits.ts";
import type { SessionEnv } from "./cookie.ts";
import { requestAddress } from "./sign_in.ts";

/** The subject the request's client address is counted as (an IPv6 client by its /64). */
function subjectOf<E extends SessionEnv>(c: Context<E>): string {
  return addressSubject(requestAddress(c));
}

/**
 * Reserves one sign-in attempt for the request's address: counts it now, or throws the 429 when
 * the address has none left. The check and the count are one checked commit, so parallel
 * attempts cannot all pass a check made before any of them is counted (review finding 12).
 */
export async function reserveSignInAttempt<E extends SessionEnv>(c: Context<E>): Promise<void> {
  await takeLimit(c.get("kv"), LIMITS.signInFailures, subjectOf(c), c.get("config").now());
}

/** Gives back an attempt reserved by `reserveSignInAttempt` that did not fail. */
export async function giveBackSignInAttempt<E extends SessionEnv>(c: Context<E>): Promise<void> {
  await giveBackLimit(c.get("kv"), LIMITS.signInFailures, subjectOf(c), c.get("config").now());
}

/**
 * Middleware for every sign-in endpoint (`/auth/link/*`, OAuth callbacks, passkey sign-in):
 * each attempt is counted before it is looked at, and an address out of attempts is refused;
 * an attempt not answered with a client error (a used link, a bad `state`, a refused assertion)
 * is given back afterwards, so people behind one address who sign in fine are never held up.
 */
export const limitSignInAttempts: MiddlewareHandler<SessionEnv> = async (c, next) => {
  await reserveSignInAttempt(c);
  await next();
  const status = c.res.status;
  if (status < 400 || status >= 500) await giveBackSignInAttempt(c);
};

/**
 * Counts a sign-in begun (an OAuth redirect, a passkey challenge) against the address, whatever
 * comes of it: each writes a one-time state to KV for anyone who asks.
 */
export const limitSignInStarts: MiddlewareHandler<SessionEnv> = async (c, next) => {
  await takeLimit(c.get("kv"), LIMITS.signInStarts, subjectOf(c), c.get("config").now());
  await next();
};

/**
 * Counts a request for an emailed sign-in link against its address and against the email
 * (hashed), and throws a `RateLimitedError` when either is used up. Call it before looking the
 * email up, so a refusal says nothing about whether the address belongs to anyone.
 */
export async function limitSignInLinkRequest<E extends SessionEnv>(
  c: Context<E>,
  email: string,
): Promise<void> {
  const kv = c.get("kv");
  const now = c.get("config").now();
  await takeLimit(kv, LIMITS.signInLinkPerAddress, subjectOf(c), now);
  await takeLimit(kv, LIMITS.signInLinkPerEmail, await emailSubject(email), now);
}

/**
 * Refuses an API request from an address that sent too many bad tokens, before its token is
 * hashed or looked up: one eventually consistent KV read. Check-then-count, unlike sign-ins, on
 * purpose: reserving would put two KV writes on every API call and make one CI's parallel
 * uploads contend for its address's counter, while a token is long and random, so the few
 * guesses a burst gets past the check before it is counted buy nothing.
 */
export async function checkBadTokens<E extends SessionEnv>(c: Context<E>): Promise<void> {
  await checkLimit(c.get("kv"), LIMITS.badTokens, subjectOf(c), c.get("config").now());
}

/** Counts a bad API token (malformed, unknown, revoked or expired) against the address. */
export async function noteBadToken<E extends SessionEnv>(c: Context<E>): Promise<void> {
  await noteFailure(c.get("kv"), LIMITS.badTokens, subjectOf(c), c.get("config").now());
}
