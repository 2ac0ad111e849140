/**
 * The last step of every way in (a one-time link, OAuth, a passkey): start a fresh session for
 * the person, end the one the browser held (so an id planted before sign-in is worthless after
 * it), set the cookie, and send the browser on — only ever to a path of our own.
 */
import type { Context } from "hono";
import { createSession, endSession } from "../../kv/sessions.ts";
import { type AuditEntry, auditEntry, recordAudit } from "../../kv/audit.ts";
import { clientAddress } from "../../edge/forwarded.ts";
import { type SessionEnv, setSessionCookie } from "./cookie.ts";
import { currentSession } from "./session.ts";

export interface SignIn {
  personId: string;
  accountId: string;
  name: string;
  /** `link`, `email`, `github`, `oidc`, `passkey`. */
  method: string;
}

/**
 * Starts the person's session in this browser; answers the new session's hash. The sign-in is
 * recorded in the account's audit log in the commit that starts the session, so every way in
 * that ends here is audited without saying so.
 */
export async function startSession<E extends SessionEnv>(
  c: Context<E>,
  signIn: SignIn,
): Promise<string> {
  const kv = c.get("kv");
  const before = await currentSession(c);
  if (before) await endSession(kv, before.hash, before.session.person_id);
  const { id, hash } = await createSession(kv, {
    ...signIn,
    userAgent: c.req.header("user-agent") ?? null,
    ip: requestAddress(c),
    audit: signInAudit(c, signIn),
  }, c.get("config").now());
  recorded.add(c.req.raw);
  setSessionCookie(c, id);
  return hash;
}

/** The audit entry of a sign-in: the person, into the session's account, by `method`. */
export function signInAudit<E extends SessionEnv>(c: Context<E>, signIn: SignIn): AuditEntry {
  const actor = { type: "person" as const, id: signIn.personId, name: signIn.name };
  return auditEntry(
    { accountId: signIn.accountId, actor, ip: requestAddress(c) },
    "session.sign_in",
    { target: { type: "person", id: signIn.personId }, summary: { method: signIn.method } },
  );
}

/** Requests whose sign-in `startSession` already recorded (in the session's own commit). */
const recorded = new WeakSet<Request>();

/**
 * Records a sign-in in the audit log, in a commit of its own, for a way in that does not end in
 * `startSession`. After `startSession` it does nothing: that sign-in is in the log already,
 * written with the session, so calling both never logs one sign-in twice.
 */
export async function auditSignIn<E extends SessionEnv>(
  c: Context<E>,
  signIn: SignIn,
): Promise<void> {
  if (recorded.has(c.req.raw)) return;
  recorded.add(c.req.raw);
  await recordAudit(c.get("kv"), signInAudit(c, signIn));
}

/** The client's address for logs and the audit: the TCP peer, or the trusted proxy's word. */
export function requestAddress<E extends SessionEnv>(c: Context<E>): string {
  return clientAddress(c.req.raw, c.env?.info, c.get("config").trustedProxy);
}

/**
 * Where to go after signing in: `next` when it is a path on this origin (`/apps/shop`), else
 * the dashboard. `//evil.example` and `/\evil.example` are other origins to a browser, and a
 * scheme (`https:`, `javascript:`) is never a path: all refused (an open redirect otherwise).
 */
export function safeNext(next: string | undefined | null): string {
  if (!next || next.length > 2048) return "/";
  if (!next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  // A backslash or a control character (a tab or newline browsers strip) can turn into `//`.
  for (const char of next) if (char === "\\" || char.charCodeAt(0) < 0x20) return "/";
  return next;
}
