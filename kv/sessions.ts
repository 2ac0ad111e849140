/**
 * Browser sessions (DESIGN "Auth"), kept in KV so every region and process sees the same ones.
 * The cookie holds a random id (≈256 bits); KV holds only its SHA-256, so a copy of the store
 * signs no one in. A session ends 7 days after its last use or 30 days after sign-in, whichever
 * comes first; `expireIn` lets KV drop it by itself, and the read checks both times too (KV's
 * expiry is lazy). A new id is made at every sign-in and the one the browser held before is
 * ended, so an id planted before sign-in is worthless after it (session fixation).
 */
import { randomBase62, sha256Hex } from "../lib/crypto.ts";
import { nowIso } from "./ids.ts";
import { personSessionKey, personSessionsPrefix, sessionKey } from "./keys.ts";
import { type AuditEntry, withAudit } from "./audit.ts";

export const SESSION_IDLE_MS = 7 * 24 * 3_600_000;
export const SESSION_ABSOLUTE_MS = 30 * 24 * 3_600_000;
/** `last_seen_at` is written at most this often: a busy admin page does not write KV per call. */
const TOUCH_EVERY_MS = 3_600_000;

export interface Session {
  person_id: string;
  /** The account the person works in now; switching changes it. */
  account_id: string;
  /** The person's name when they signed in, for "by" lines without another read. */
  name: string;
  /** How they signed in: `link`, `github`, `oidc`, `passkey`, `email`. */
  method: string;
  created_at: string;
  last_seen_at: string;
  /** The absolute end: `created_at` + 30 days. */
  expires_at: string;
  /** For the person's list of devices. */
  user_agent: string | null;
  ip: string | null;
}

export interface SessionStart {
  personId: string;
  accountId: string;
  name: string;
  method: string;
  userAgent?: string | null;
  ip?: string | null;
  /** The sign-in's audit entry, written in the commit that starts the session. */
  audit?: AuditEntry;
}

/** A live session and the hash it is stored under (what other calls take). */
export interface OpenSession {
  hash: string;
  session: Session;
}

/** Starts a session; the returned `id` goes in the cookie and is never stored. */
export async function createSession(
  kv: Deno.Kv,
  start: SessionStart,
  now = Date.now(),
): Promise<{ id: string; hash: string; session: Session }> {
  const id = randomBase62(43);
  const hash = await sha256Hex(id);
  const session: Session = {
    person_id: start.personId,
    account_id: start.accountId,
    name: start.name,
    method: start.method,
    created_at: nowIso(now),
    last_seen_at: nowIso(now),
    expires_at: nowIso(now + SESSION_ABSOLUTE_MS),
    user_agent: start.userAgent?.slice(0, 200) ?? null,
    ip: start.ip ?? null,
  };
  const op = kv.atomic()
    .check({ key: sessionKey(hash), versionstamp: null })
    .set(sessionKey(hash), session, { expireIn: SESSION_IDLE_MS })
    .set(personSessionKey(start.personId, hash), session, { expireIn: SESSION_ABSOLUTE_MS });
  await withAudit(op, start.audit).commit();
  return { id, hash, session };
}

/**
 * The session a cookie's id stands for, or null when it is unknown, ended or expired. Notes
 * its use at most once an hour, which also pushes its idle expiry back.
 */
export async function readSession(
  kv: Deno.Kv,
  id: string,
  now = Date.now(),
): Promise<OpenSession | null> {
  if (id.length !== 43) return null;
  const hash = await sha256Hex(id);
  const entry = await kv.get<Session>(sessionKey(hash));
  const session = entry.value;
  if (!session) return null;
  const lastSeen = Date.parse(session.last_seen_at);
  if (Date.parse(session.expires_at) <= now || now - lastSeen >= SESSION_IDLE_MS) {
    await endSession(kv, hash, session.person_id);
    return null;
  }
  if (now - lastSeen < TOUCH_EVERY_MS) return { hash, session };
  const touched = { ...session, last_seen_at: nowIso(now) };
  // Lost to a concurrent write (a switch, a sign-out): theirs stands, this use is not noted.
  await kv.atomic().check(entry)
    .set(sessionKey(hash), touched, { expireIn: SESSION_IDLE_MS })
    .commit();
  return { hash, session: touched };
}

/** Ends one session (sign out). */
export async function endSession(kv: Deno.Kv, hash: string, personId: string): Promise<void> {
  await kv.atomic()
    .delete(sessionKey(hash))
    .delete(personSessionKey(personId, hash))
    .commit();
}

/** Ends every session of the person (sign out of every device); answers how many there were. */
export async function endAllSessions(kv: Deno.Kv, personId: string): Promise<number> {
  let ended = 0;
  for await (const entry of kv.list({ prefix: personSessionsPrefix(personId) })) {
    await endSession(kv, entry.key.at(-1) as string, personId);
    ended++;
  }
  return ended;
}

/** The person's sessions (their devices), newest sign-in first. */
export async function listSessions(kv: Deno.Kv, personId: string): Promise<OpenSession[]> {
  const open: OpenSession[] = [];
  for await (const entry of kv.list<Session>({ prefix: personSessionsPrefix(personId) })) {
    open.push({ hash: entry.key.at(-1) as string, session: entry.value });
  }
  return open.sort((a, b) => b.session.created_at.localeCompare(a.session.created_at));
}

/**
 * Moves the session to another account of the person's (the caller checked the membership).
 * A concurrent change is read again, never overwritten.
 */
export async function switchAccount(kv: Deno.Kv, hash: string, accountId: string): Promise<void> {
  for (;;) {
    const entry = await kv.get<Session>(sessionKey(hash));
    if (!entry.value) return;
    const session = { ...entry.value, account_id: accountId };
    const result = await kv.atomic().check(entry)
      .set(sessionKey(hash), session, { expireIn: SESSION_IDLE_MS })
      .commit();
    if (result.ok) return;
  }
}
