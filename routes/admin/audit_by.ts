/**
 * Who makes a change from an admin page, for the audit log: the signed-in person, in the account
 * they work in, from the request's address — what `auditBy(c)` (routes/api/audit.ts) tells the
 * same `kv/` functions for an API call, so a change reads the same in the log whichever way it
 * was made.
 */
import { actorOf, type AuditBy } from "../../kv/audit.ts";
import { requestAddress } from "../auth/sign_in.ts";
import type { AuthedContext } from "./context.ts";

export function adminAuditBy(ctx: AuthedContext): AuditBy {
  const principal = ctx.user.principal;
  return {
    accountId: principal.accountId,
    actor: actorOf(principal),
    ip: requestAddress(ctx.c),
  };
}
