/**
 * `POST /auth/switch` `{account_id}`: moves the browser's session to another account the person
 * belongs to (same origin only, like every change made with the cookie). A form post is sent on
 * to the dashboard; a script gets the account and its role.
 */
import type { Context } from "hono";
import { getMember } from "../../kv/people.ts";
import { switchAccount } from "../../kv/sessions.ts";
import { NotFoundError, UnauthenticatedError, ValidationError } from "../../lib/errors.ts";
import type { SessionEnv } from "./cookie.ts";
import { assertSameOrigin, currentSession } from "./session.ts";

/** The `account_id` of a JSON or form body; 422 when it is missing or not an id. */
async function accountIdOf<E extends SessionEnv>(c: Context<E>): Promise<string> {
  const type = c.req.header("content-type") ?? "";
  let value: unknown;
  try {
    value = /json/i.test(type)
      ? (await c.req.json<Record<string, unknown>>())?.account_id
      : (await c.req.parseBody())["account_id"];
  } catch {
    value = undefined;
  }
  if (typeof value !== "string" || value.length === 0 || value.length > 64) {
    const message = "must be the id of an account you belong to";
    throw new ValidationError(`Invalid account_id: ${message}`, [
      { field: "account_id", message },
    ]);
  }
  return value;
}

export async function switchSession<E extends SessionEnv>(c: Context<E>): Promise<Response> {
  assertSameOrigin(c);
  const open = await currentSession(c);
  if (!open) throw new UnauthenticatedError("Not signed in");
  const accountId = await accountIdOf(c);
  const kv = c.get("kv");
  const member = await getMember(kv, accountId, open.session.person_id);
  if (!member) throw new NotFoundError(`No such account: "${accountId}"`);
  await switchAccount(kv, open.hash, accountId);
  const wantsPage = (c.req.header("accept") ?? "").includes("text/html");
  if (wantsPage) return c.redirect("/", 303);
  return c.json({ account_id: accountId, role: member.role }, 200);
}
