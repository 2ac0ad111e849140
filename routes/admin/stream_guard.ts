/**
 * Limits on the admin's event streams (`/apps/:slug/events`). Each open stream holds a KV
 * `watch` and timers in this process, so one tab must not open hundreds: a session may hold
 * `STREAMS_PER_SESSION` at once and a person `STREAMS_PER_PERSON` (several devices), counted in
 * this process — the watches they bound are this process's too. And a stream speaks for the
 * session that opened it only while that session still could open it: it is re-checked every
 * `RECHECK_MS` and before each notice, so a sign-out, a removal or an account switch ends it
 * within seconds rather than at the end of its lifetime.
 */
import { RateLimitedError } from "../../lib/errors.ts";
import { sessionPrincipal } from "../auth/session.ts";
import type { AuthedContext } from "./context.ts";

export const STREAMS_PER_SESSION = 5;
export const STREAMS_PER_PERSON = 20;
/** How often an open stream re-reads its session and membership (two KV reads). */
export const RECHECK_MS = 3_000;
/** What a refused browser is told to wait: about how long a closed page's stream takes to go. */
const RETRY_AFTER_S = 30;

const bySession = new Map<string, number>();
const byPerson = new Map<string, number>();

function bump(counts: Map<string, number>, key: string, by: number): void {
  const count = (counts.get(key) ?? 0) + by;
  if (count > 0) counts.set(key, count);
  else counts.delete(key);
}

/**
 * Counts a stream opening for the signed-in person, or throws a `RateLimitedError` (429) when
 * their session or they already hold the most; the returned function (call it once, when the
 * stream ends) gives the place back.
 */
export function holdStreamPlace(ctx: AuthedContext): () => void {
  const session = ctx.user.open.hash;
  const person = ctx.user.principal.personId!;
  if ((bySession.get(session) ?? 0) >= STREAMS_PER_SESSION) {
    throw tooMany(`at most ${STREAMS_PER_SESSION} for one sign-in`);
  }
  if ((byPerson.get(person) ?? 0) >= STREAMS_PER_PERSON) {
    throw tooMany(`at most ${STREAMS_PER_PERSON} for one person`);
  }
  bump(bySession, session, 1);
  bump(byPerson, person, 1);
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    bump(bySession, session, -1);
    bump(byPerson, person, -1);
  };
}

function tooMany(what: string): RateLimitedError {
  return new RateLimitedError(
    `Too many live updates open: ${what}; close some app pages, then reload`,
    "too_many_event_streams",
    RETRY_AFTER_S,
  );
}

/**
 * Whether the request's session is still open and still acts, as a member, for the account the
 * stream was opened in (a sign-out, a removal or a switch to another account ends it).
 */
export async function stillSignedIn(ctx: AuthedContext): Promise<boolean> {
  const found = await sessionPrincipal(ctx.c);
  return found !== null && found.principal.accountId === ctx.user.account.id &&
    found.open.hash === ctx.user.open.hash;
}
