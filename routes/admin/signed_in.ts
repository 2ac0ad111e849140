/** Who a browser request is signed in as, with what the admin's shell and forms need. */
import type { Context } from "hono";
import { getAccount } from "../../kv/accounts.ts";
import { listMemberships } from "../../kv/people.ts";
import { sessionPrincipal } from "../auth/session.ts";
import type { AdminEnv, SignedIn } from "./context.ts";
import { csrfToken } from "./csrf.ts";

/** The signed-in person with their account, accounts and form token; null without a session. */
export async function signedInOf(c: Context<AdminEnv>): Promise<SignedIn | null> {
  const found = await sessionPrincipal(c);
  if (!found) return null;
  const kv = c.get("kv");
  const memberships = await listMemberships(kv, found.principal.personId!);
  const accounts = await Promise.all(memberships.map((m) => getAccount(kv, m.account_id)));
  const listed = memberships.flatMap((m, i) => {
    const account = accounts[i];
    return account ? [{ account, role: m.role }] : [];
  });
  const account = listed.find((m) => m.account.id === found.principal.accountId)?.account;
  if (!account) return null;
  const secret = c.get("config").secret!;
  return {
    principal: found.principal,
    open: found.open,
    account,
    memberships: listed,
    csrf: await csrfToken(secret, found.open.hash),
  };
}
