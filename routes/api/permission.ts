/**
 * What each API operation needs, declared on its route: `...needs("deploy")` in a
 * `createRoute({...})` puts `x-permission` in the OpenAPI document and the check in front of
 * the handler, from the one argument, so the document and the enforcement cannot disagree.
 * The check runs before the request is validated or any resource looked up: a refusal says
 * nothing about whether the resource exists, and another account's resource stays 404. An
 * endpoint behind the token check that declares no permission stops the API from being built
 * (`assertEveryEndpointNeeds`): a forgotten declaration is a failed start, not an open route.
 */
import type { MiddlewareHandler } from "hono";
import { type Permission, refusal } from "../../kv/permissions.ts";
import { ForbiddenError } from "../../lib/errors.ts";
import { type ApiEnv, jsonResponse } from "./env.ts";
import { ErrorSchema } from "./schemas.ts";

const checks = new Map<Permission, MiddlewareHandler<ApiEnv>>();

/** The middleware that refuses a principal without `permission` (one per permission). */
function requirePermission(permission: Permission): MiddlewareHandler<ApiEnv> {
  let check = checks.get(permission);
  if (!check) {
    check = async (c, next) => {
      const message = refusal(c.get("principal"), permission);
      // RFC 6750 §3.1: "insufficient_scope", 403, for a token without the privileges needed.
      if (message) throw new ForbiddenError(message, "insufficient_scope");
      await next();
    };
    checks.set(permission, check);
  }
  return check;
}

/** Spread into `createRoute({...})`: the permission the operation needs, documented and checked. */
export function needs(permission: Permission) {
  return { "x-permission": permission, middleware: requirePermission(permission) } as const;
}

/**
 * Throws, naming them, when an endpoint among `routes` (Hono's list: middleware registered for
 * every method is `ALL`) has no permission check in front of it.
 */
export function assertEveryEndpointNeeds(
  routes: readonly { method: string; path: string; handler: unknown }[],
): void {
  const known = new Set<unknown>(checks.values());
  const endpoints = new Set<string>();
  const checked = new Set<string>();
  for (const route of routes) {
    if (route.method === "ALL") continue;
    const key = `${route.method} ${route.path}`;
    endpoints.add(key);
    if (known.has(route.handler)) checked.add(key);
  }
  const missing = [...endpoints].filter((key) => !checked.has(key));
  if (missing.length > 0) {
    throw new Error(`API endpoints declare no permission (add needs()): ${missing.join(", ")}`);
  }
}

/** What the registry of an OpenAPI router holds for a route: its config, as registered. */
interface RouteDefinition {
  type: string;
  route?: { responses: Record<string, unknown>; "x-permission"?: Permission };
}

/**
 * Documents the 403 of every operation some token can be refused: all but those needing only
 * `read`, which every scope and role has. Each registration holds its own copy of the route
 * config, so the routers' shared route objects are left as they are.
 */
export function documentRefusals(definitions: readonly RouteDefinition[]): void {
  for (const definition of definitions) {
    const route = definition.route;
    if (definition.type !== "route" || !route || route["x-permission"] === "read") continue;
    const description = `The caller's role (a token's: its scope, or its maker's role) ` +
      `does not allow "${route["x-permission"]}"`;
    route.responses = { ...route.responses, 403: jsonResponse(ErrorSchema, description) };
  }
}
