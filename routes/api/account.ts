/**
 * `/api/v1/account` and `/api/v1/me`: the caller's account, its members and their roles. Every
 * operation acts on the caller's own account (there is no account id in a path to get wrong),
 * and a member id of another account is 404 like an unknown one.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { deleteAccount, renameAccount } from "../../kv/account_changes.ts";
import { type Account, getAccount } from "../../kv/accounts.ts";
import { changeRole, listMembersWithPeople, removeMember } from "../../kv/members.ts";
import { getPerson, type Member, type Person } from "../../kv/people.ts";
import { NotFoundError } from "../../lib/errors.ts";
import {
  accountExample,
  AccountPatch,
  AccountSchema,
  memberListExample,
  MemberPatch,
  MemberSchema,
} from "./account_schemas.ts";
import { type ApiEnv, apiRouter, jsonBody, jsonResponse } from "./env.ts";
import { auditBy } from "./audit.ts";
import { needs } from "./permission.ts";
import { ErrorSchema, IdParam, listOf, ListQuery } from "./schemas.ts";

const error = (description: string) => jsonResponse(ErrorSchema, description);

function accountJson(account: Account, c: Context<ApiEnv>) {
  const { name, id, created_at } = account;
  return { id, name, role: c.get("principal").role, created_at };
}

export function memberJson(member: Member, person: Person | null) {
  return {
    id: member.person_id,
    name: person?.name ?? null,
    email: person?.email ?? null,
    role: member.role,
    joined_at: member.created_at,
  };
}

async function callerAccount(c: Context<ApiEnv>): Promise<Account> {
  const account = await getAccount(c.get("kv"), c.get("principal").accountId);
  if (!account) throw new NotFoundError("This account no longer exists");
  return account;
}

const MemberParam = z.object({ id: IdParam });

export const account = apiRouter()
  .openapi(
    createRoute({
      ...needs("read"),
      method: "get",
      path: "/account",
      tags: ["Account"],
      summary: "Read the caller's account",
      description: "The account the token or session acts for, and the caller's role in it " +
        "(a token's is its creator's).",
      responses: { 200: jsonResponse(AccountSchema, "The account", accountExample) },
    }),
    async (c) => c.json(accountJson(await callerAccount(c), c), 200),
  )
  .openapi(
    createRoute({
      ...needs("owner"),
      method: "patch",
      path: "/account",
      tags: ["Account"],
      summary: "Rename the account",
      description: "The name members see in the admin and in invitation mails.",
      request: { body: jsonBody(AccountPatch, { name: "My shop Ltd" }) },
      responses: {
        200: jsonResponse(AccountSchema, "The renamed account", accountExample),
        422: error("Invalid name"),
      },
    }),
    async (c) => {
      const { accountId } = c.get("principal");
      const { name } = c.req.valid("json");
      const renamed = await renameAccount(c.get("kv"), accountId, name, auditBy(c));
      return c.json(accountJson(renamed, c), 200);
    },
  )
  .openapi(
    createRoute({
      ...needs("owner"),
      method: "delete",
      path: "/account",
      tags: ["Account"],
      summary: "Delete the account",
      description:
        "Deletes the account with its members, tokens and invitations, and answers it as it was; every " +
        "session and token acting for it is refused from then on. Refused with 409 " +
        "`account_not_empty` while it has apps (delete them first: this never takes a " +
        "storefront down), and with 409 `default_account` for the platform's default account.",
      responses: {
        200: jsonResponse(AccountSchema, "The account as it was, now deleted", accountExample),
        409: error("The account still has apps, or is the default account"),
      },
    }),
    async (c) => {
      const gone = await callerAccount(c);
      await deleteAccount(c.get("kv"), gone.id, auditBy(c));
      return c.json(accountJson(gone, c), 200);
    },
  )
  .openapi(
    createRoute({
      ...needs("read"),
      method: "get",
      path: "/account/members",
      tags: ["Account"],
      summary: "List the account's members",
      description: "Members with their name, email, role and when they joined, oldest first.",
      request: { query: ListQuery },
      responses: {
        200: jsonResponse(listOf(MemberSchema, "MemberList"), "Members", memberListExample),
      },
    }),
    async (c) => {
      const page = await listMembersWithPeople(
        c.get("kv"),
        c.get("principal").accountId,
        c.req.valid("query"),
      );
      const items = page.items.map((view) => memberJson(view.member, view.person));
      return c.json({ items, next_cursor: page.next_cursor }, 200);
    },
  )
  .openapi(
    createRoute({
      ...needs("owner"),
      method: "patch",
      path: "/account/members/{id}",
      tags: ["Account"],
      summary: "Change a member's role",
      description: "Takes effect on the member's next request, for their sessions and the " +
        "tokens they made. Hand ownership over by making another member `owner`, then " +
        "changing your own role. 409 `last_owner` for the change that would leave no owner.",
      request: { params: MemberParam, body: jsonBody(MemberPatch, { role: "developer" }) },
      responses: {
        200: jsonResponse(MemberSchema, "The member", memberListExample.items[1]),
        404: error("No such member"),
        409: error("The account would have no owner"),
      },
    }),
    async (c) => {
      const kv = c.get("kv");
      const { id } = c.req.valid("param");
      const { role } = c.req.valid("json");
      const member = await changeRole(kv, c.get("principal").accountId, id, role, auditBy(c));
      return c.json(memberJson(member, await getPerson(kv, id)), 200);
    },
  )
  .openapi(
    createRoute({
      ...needs("owner"),
      method: "delete",
      path: "/account/members/{id}",
      tags: ["Account"],
      summary: "Remove a member",
      description: "Their sessions stop acting for the account at their next request, and the " +
        "API tokens they made are revoked. 409 `last_owner` for the account's only owner.",
      request: { params: MemberParam },
      responses: {
        204: { description: "Removed" },
        404: error("No such member"),
        409: error("The account would have no owner"),
      },
    }),
    async (c) => {
      const { accountId } = c.get("principal");
      await removeMember(c.get("kv"), accountId, c.req.valid("param").id, auditBy(c));
      return c.body(null, 204);
    },
  );
