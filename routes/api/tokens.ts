/** `/api/v1/tokens`: API tokens for CI and scripts; the string is shown once. */
import { createRoute, z } from "@hono/zod-openapi";
import {
  createToken,
  listTokens,
  revokeToken,
  scopeOf,
  type TokenRecord,
} from "../../kv/accounts.ts";
import {
  ErrorSchema,
  IdParam,
  listOf,
  ListQuery,
  MAX_TOKEN_DAYS,
  TokenCreate,
  TokenCreated,
  TokenSchema,
} from "./schemas.ts";
import { apiRouter, jsonBody, jsonResponse } from "./env.ts";
import { needs } from "./permission.ts";
import { auditBy } from "./audit.ts";
import { ValidationError } from "../../lib/errors.ts";
import { peopleByIds, type Person } from "../../kv/people.ts";
import { tokenCreatedExample, tokenCreateExample, tokenListExample } from "./examples.ts";

/** A token as the API shows it; `people` names the creators (kv/people.ts `peopleByIds`). */
const tokenJson = (record: TokenRecord, people: Map<string, Person>) => {
  const creator = record.person_id ? people.get(record.person_id) : undefined;
  return {
    id: record.id,
    name: record.name,
    scope: scopeOf(record),
    created_at: record.created_at,
    created_by: record.person_id
      ? { person_id: record.person_id, name: creator?.name ?? null }
      : null,
    expires_at: record.expires_at ?? null,
    last_used_at: record.last_used_at ?? null,
  };
};

const DAY_MS = 24 * 60 * 60 * 1000;

/** When a new token expires (ISO), null for never; 422 for a time past or too far ahead. */
function tokenExpiry(now: number, at?: string, days?: number): string | null {
  if (days !== undefined) return new Date(now + days * DAY_MS).toISOString();
  if (at === undefined) return null;
  const time = Date.parse(at);
  if (time <= now || time > now + MAX_TOKEN_DAYS * DAY_MS) {
    const message = `must be in the future and at most ${MAX_TOKEN_DAYS} days ahead`;
    throw new ValidationError(`Invalid token expiry: "${at}" ${message}`, [
      { field: "expires_at", message },
    ]);
  }
  return new Date(time).toISOString();
}

export const tokens = apiRouter()
  .openapi(
    createRoute({
      ...needs("owner"),
      method: "post",
      path: "/tokens",
      tags: ["Tokens"],
      summary: "Create an API token",
      description: "A token acts for the caller's account, for CI and scripts " +
        "(`Authorization: Bearer sy_…`), within its `scope` (CI deploying needs `deploy`) and " +
        "never beyond its creator's role; with `expires_in_days` it is refused from then on. " +
        "Its string is in this answer only: the server keeps just its SHA-256.",
      request: { body: jsonBody(TokenCreate, tokenCreateExample) },
      responses: {
        201: jsonResponse(
          TokenCreated,
          "The token; its string is shown only here",
          tokenCreatedExample,
        ),
      },
    }),
    async (c) => {
      const { name, scope, expires_at, expires_in_days } = c.req.valid("json");
      const principal = c.get("principal");
      const expiresAt = tokenExpiry(c.get("config").now(), expires_at, expires_in_days);
      // The new token's creator is the caller's person (a token made with a token has that
      // token's creator): it can never do more than that person's role, now or later.
      const kv = c.get("kv");
      const { token, record } = await createToken(kv, principal.accountId, name, {
        scope,
        role: principal.role,
        personId: principal.creatorId,
        expiresAt,
        audit: auditBy(c),
      });
      const people = await peopleByIds(kv, [record.person_id]);
      return c.json({ ...tokenJson(record, people), token }, 201);
    },
  )
  .openapi(
    createRoute({
      ...needs("owner"),
      method: "get",
      path: "/tokens",
      tags: ["Tokens"],
      summary: "List API tokens",
      description: "The account's tokens, newest first, with scope, creator (`created_by`: " +
        "null for the bootstrap token), expiry and last use (to the minute); never their strings.",
      request: { query: ListQuery },
      responses: {
        200: jsonResponse(
          listOf(TokenSchema, "TokenList"),
          "Tokens, never their strings",
          tokenListExample,
        ),
      },
    }),
    async (c) => {
      const kv = c.get("kv");
      const page = await listTokens(kv, c.get("principal").accountId, c.req.valid("query"));
      const people = await peopleByIds(kv, page.items.map((record) => record.person_id));
      const items = page.items.map((record) => tokenJson(record, people));
      return c.json({ items, next_cursor: page.next_cursor }, 200);
    },
  )
  .openapi(
    createRoute({
      ...needs("owner"),
      method: "delete",
      path: "/tokens/{id}",
      tags: ["Tokens"],
      summary: "Revoke an API token",
      description: "Requests bearing the token are refused with 401 from then on. Revoking the " +
        "token the request itself uses is allowed.",
      request: { params: z.object({ id: IdParam }) },
      responses: {
        204: { description: "Revoked" },
        404: jsonResponse(ErrorSchema, "No such token"),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      await revokeToken(c.get("kv"), c.get("principal").accountId, id, auditBy(c));
      return c.body(null, 204);
    },
  );
