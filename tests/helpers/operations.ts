/**
 * The API's operations as its OpenAPI document lists them, and a way to call any of them: the
 * permission and isolation tests walk the document, so a route added later is in them.
 */
import assert from "node:assert/strict";
import { type Permission, PERMISSIONS } from "../../kv/permissions.ts";
import type { TestServer } from "./server.ts";
import type { Browser } from "./session.ts";

const METHODS = ["get", "post", "put", "patch", "delete"];

export interface Operation {
  method: string;
  /** As the document writes it: `/apps/{slug}/versions/{n}`. */
  path: string;
  permission: Permission;
  /** The status codes the document lists for it. */
  statuses: string[];
}

/** The operations `/api/v1/openapi.json` lists, each with the permission it declares. */
export async function documentedOperations(server: TestServer): Promise<Operation[]> {
  const res = await fetch(`http://127.0.0.1:${server.port}/api/v1/openapi.json`);
  const doc = await res.json();
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries<Record<string, Record<string, unknown>>>(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const permission = op["x-permission"] as Permission;
      assert.ok(
        PERMISSIONS.includes(permission),
        `${method.toUpperCase()} ${path} declares no known x-permission: ${permission}`,
      );
      const statuses = Object.keys(op.responses as Record<string, unknown>);
      operations.push({ method, path, permission, statuses });
    }
  }
  return operations;
}

/** Who calls: an API token, or a signed-in browser (tests/helpers/session.ts). */
export type Caller = string | Browser;

/**
 * Calls `op` as `caller`, its path parameters filled from `params`; a POST, PUT or PATCH sends
 * `json` (default `{}`).
 */
export function call(
  server: TestServer,
  op: Operation,
  caller: Caller,
  params: Record<string, string>,
  json: unknown = {},
): Promise<Response> {
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    assert.ok(params[name] !== undefined, `no value for {${name}} in ${op.path}`);
    return encodeURIComponent(params[name]);
  });
  const body = op.method === "get" || op.method === "delete" ? undefined : json;
  const method = op.method.toUpperCase();
  if (typeof caller !== "string") return caller.api(method, path, body);
  return server.api(method, path, body, { authorization: `Bearer ${caller}` });
}
