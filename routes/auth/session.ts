/**
 * Whom a browser request acts for: the session its cookie names, the person's current role in
 * the session's account (read on every request, so a role change or a removal takes effect on
 * the next one), and the guard that keeps other sites from acting with that cookie.
 */
import type { Context } from "hono";
import type { Principal } from "../../kv/accounts.ts";
import { getMember } from "../../kv/people.ts";
import { type OpenSession, readSession } from "../../kv/sessions.ts";
import { ForbiddenError } from "../../lib/errors.ts";
import { readSessionCookie, type SessionEnv } from "./cookie.ts";

/** The open session the request's cookie names, or null. */
export async function currentSession<E extends SessionEnv>(
  c: Context<E>,
): Promise<OpenSession | null> {
  const id = readSessionCookie(c);
  if (!id) return null;
  return await readSession(c.get("kv"), id, c.get("config").now());
}

/**
 * The principal of a signed-in browser: the person in the session's account with their role
 * there now; null when there is no session, or the person is no longer a member of it.
 */
export async function sessionPrincipal<E extends SessionEnv>(
  c: Context<E>,
): Promise<{ principal: Principal; open: OpenSession } | null> {
  const open = await currentSession(c);
  if (!open) return null;
  const { session } = open;
  const member = await getMember(c.get("kv"), session.account_id, session.person_id);
  if (!member) return null;
  const principal: Principal = {
    accountId: session.account_id,
    tokenId: null,
    personId: session.person_id,
    creatorId: session.person_id,
    name: session.name,
    role: member.role,
    // A person acts with their role alone; scopes narrow API tokens.
    scope: "full",
  };
  return { principal, open };
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses a state-changing request made with the session cookie unless it comes from our own
 * pages (CSRF). Browsers send `Sec-Fetch-Site` (Fetch Metadata) on every request; older ones
 * send `Origin` on every non-GET request. A request with neither is not from a browser that
 * could be tricked, but nothing speaks for it either, so it is refused too: scripts use tokens.
 */
export function assertSameOrigin<E extends SessionEnv>(c: Context<E>): void {
  if (SAFE_METHODS.has(c.req.method)) return;
  const site = c.req.header("sec-fetch-site");
  if (site !== undefined) {
    if (site === "same-origin") return;
    throw crossOrigin(`Sec-Fetch-Site: ${site}`);
  }
  const origin = c.req.header("origin");
  if (origin === undefined) throw crossOrigin("no Origin header");
  let host: string | null = null;
  try {
    host = new URL(origin).host;
  } catch {
    // "null" (a sandboxed frame, a redirect across origins) or garbage: not ours.
  }
  if (host === null || host !== c.req.header("host")) throw crossOrigin(`Origin: ${origin}`);
}

function crossOrigin(why: string): ForbiddenError {
  return new ForbiddenError(
    `Refused a request made with the session cookie from another site (${why}); ` +
      "scripts and other sites use an API token",
    "cross_origin_request",
  );
}
