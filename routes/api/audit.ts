/**
 * `/api/v1/audit`: the account's audit log, and `auditBy`, the one line each changing route adds
 * to hand its `kv/` function who acts and from where.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import {
  actorOf,
  AUDIT_ACTIONS,
  type AuditBy,
  type AuditEntry,
  listAudit,
} from "../../kv/audit.ts";
import { findAppBySlug } from "../../kv/apps.ts";
import { allows } from "../../kv/permissions.ts";
import { idTime } from "../../kv/ids.ts";
import { NotFoundError } from "../../lib/errors.ts";
import { requestAddress } from "../auth/sign_in.ts";
import type { SessionEnv } from "../auth/cookie.ts";
import type { Principal } from "../../kv/accounts.ts";
import { type ApiEnv, apiRouter, jsonResponse } from "./env.ts";
import { needs } from "./permission.ts";
import { ErrorSchema, listOf, ListQuery } from "./schemas.ts";

/** A context that knows whom the request acts for: the API's, and any admin page's. */
type PrincipalEnv = SessionEnv & { Variables: { principal: Principal } };

/**
 * Who acts in this request and from which address: pass it to the `kv/` function that commits
 * the change (`createApp(…, auditBy(c))`, `promote(kv, app, {…, audit: auditBy(c)})`).
 */
export function auditBy<E extends PrincipalEnv>(c: Context<E>): AuditBy {
  const principal = c.get("principal");
  return { accountId: principal.accountId, actor: actorOf(principal), ip: requestAddress(c) };
}

const AuditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.object({
    type: z.enum(["person", "token"]),
    id: z.string(),
    name: z.string(),
  }),
  action: z.enum(AUDIT_ACTIONS),
  app: z.object({ id: z.string(), slug: z.string() }).nullable(),
  target: z.object({ type: z.string(), id: z.string() }).nullable(),
  summary: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  ip: z.string().nullable().openapi({
    description: "The address the change came from; shown to owners only (null for others)",
  }),
}).openapi("AuditEntry");

const AuditQuery = ListQuery.extend({
  app: z.string().min(1).max(64).optional().openapi({
    description: "Only changes to this app: its slug, or the id of an app deleted since",
  }),
  actor: z.string().min(1).max(64).optional().openapi({
    description: "Only changes by this member (person id) or API token (token id)",
  }),
});

const auditListExample = {
  items: [{
    id: "01JDQD1E2F3G4H5J6K7M8N9P0Q",
    at: "2026-11-21T14:02:11.000Z",
    actor: { type: "token", id: "01JDQ9F2G3H4J5K6M7N8P9Q0R1", name: "GitHub Actions" },
    action: "live.promote",
    app: { id: "01JDQ8Y7ZP4W9K3M2N6B5V1C0X", slug: "shop" },
    target: { type: "release", id: "4" },
    summary: { version: 4, previous: 3 },
    ip: "203.0.113.7",
  }],
  next_cursor: null,
};

/**
 * The app id the `app` filter names in the caller's account: a current app by slug, else an id
 * (of an app deleted since: its entries stay). The log is kept per account, so an id of another
 * account's app finds nothing of it.
 */
async function appFilter(c: Context<ApiEnv>, app: string | undefined): Promise<string | null> {
  if (app === undefined) return null;
  const found = await findAppBySlug(c.get("kv"), app);
  const accountId = c.get("principal").accountId;
  if (found && found.account_id === accountId) return found.id;
  if (!Number.isNaN(idTime(app))) return app.toLowerCase();
  throw new NotFoundError(`No such app: "${app}"`);
}

/**
 * Addresses are personal data: owners see them (they answer for the account's security); other
 * members see who did what, not where from.
 */
function entryJson(entry: AuditEntry, showAddress: boolean) {
  const { account_id: _account, ...rest } = entry;
  return { ...rest, ip: showAddress ? entry.ip : null };
}

export const audit = apiRouter()
  .openapi(
    createRoute({
      ...needs("read"),
      method: "get",
      path: "/audit",
      tags: ["Audit log"],
      summary: "List the audit log",
      description: "Every change made in the account, newest first: apps, versions, " +
        "promotes, rollbacks, splits, schedules, test links, settings, tokens, members and " +
        "sign-ins, each with who made it (a member or an API token), when, what and — for " +
        "owners — from which address. Filter by `app` (a slug, or the id of an app deleted " +
        "since) and by `actor` (a member's person id or a token's id). `action` is " +
        "`thing.verb`: `live.promote`, `version.create`, `token.revoke`, `session.sign_in`… " +
        "(the schema lists them all). Entries are kept a year. " +
        "With both filters a page looks through at most 1,000 entries, so it may come back " +
        "short with a `next_cursor` to go on from.",
      request: { query: AuditQuery },
      responses: {
        200: jsonResponse(
          listOf(AuditEntrySchema, "AuditList"),
          "Newest first",
          auditListExample,
        ),
        404: jsonResponse(ErrorSchema, "No such app"),
        422: jsonResponse(ErrorSchema, "Invalid filter or cursor"),
      },
    }),
    async (c) => {
      const query = c.req.valid("query");
      const principal = c.get("principal");
      const page = await listAudit(c.get("kv"), principal.accountId, {
        appId: await appFilter(c, query.app),
        actorId: query.actor ?? null,
        limit: query.limit,
        cursor: query.cursor,
      });
      const showAddress = allows(principal, "owner");
      const items = page.items.map((entry) => entryJson(entry, showAddress));
      return c.json({ items, next_cursor: page.next_cursor }, 200);
    },
  );
