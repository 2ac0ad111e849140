/**
 * `/api/v1/me`: who the caller is: the signed-in person, the account and role they act with,
 * and every account they may switch to (`POST /auth/switch`). For an API token, `person` is
 * null and the list is empty: a token belongs to one account.
 */
import { createRoute } from "@hono/zod-openapi";
import { membershipsWithAccounts } from "../../kv/members.ts";
import { getPerson } from "../../kv/people.ts";
import { meExample, MeSchema } from "./account_schemas.ts";
import { apiRouter, jsonResponse } from "./env.ts";
import { needs } from "./permission.ts";

export const me = apiRouter().openapi(
  createRoute({
    ...needs("read"),
    method: "get",
    path: "/me",
    tags: ["Account"],
    summary: "Who the caller is",
    description: "The signed-in person, the account and role the request acts with, and the " +
      "accounts the person belongs to, with their names (switch with `POST /auth/switch`). An " +
      "API token answers `person: null` and no memberships.",
    responses: { 200: jsonResponse(MeSchema, "The caller", meExample) },
  }),
  async (c) => {
    const kv = c.get("kv");
    const { personId, accountId, role } = c.get("principal");
    const [person, memberships] = personId
      ? await Promise.all([getPerson(kv, personId), membershipsWithAccounts(kv, personId)])
      : [null, []];
    return c.json({
      person: person && { id: person.id, name: person.name, email: person.email },
      account_id: accountId,
      role,
      memberships: memberships.map(({ member, account }) => ({
        account_id: member.account_id,
        account_name: account?.name ?? null,
        role: member.role,
        joined_at: member.created_at,
      })),
    }, 200);
  },
);
