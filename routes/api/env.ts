import { OpenAPIHono } from "@hono/zod-openapi";
import type { Config } from "../../config.ts";
import type { Principal } from "../../kv/accounts.ts";
import type { PlatformBindings } from "../auth/cookie.ts";
import type { Logger } from "../../lib/log.ts";
import { errorResponse, validationResponse } from "../errors.ts";
import { NotFoundError } from "../../lib/errors.ts";
import type { Context } from "hono";
import { type App, getApp } from "../../kv/apps.ts";

/** What every API handler can read from its context. */
export interface ApiEnv {
  Bindings: PlatformBindings;
  Variables: {
    kv: Deno.Kv;
    config: Config;
    log: Logger;
    principal: Principal;
  };
}

/** A router whose failed validations answer our 422 error JSON (not zod's raw error). */
export function apiRouter() {
  return new OpenAPIHono<ApiEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      // A path that names nothing (a version written "01" or "1e3", a slug no app can have) is
      // a resource that does not exist, not a malformed request.
      if (result.target === "param") {
        return errorResponse(new NotFoundError(`No such resource: "${c.req.path}"`));
      }
      return validationResponse(result.error, result.target);
    },
  });
}

/** A JSON request body; `example` is what the reference shows a caller sending. */
export const jsonBody = <T>(schema: T, example?: unknown) => ({
  required: true,
  content: { "application/json": { schema, example } },
});

/** A JSON answer; `example` is what the reference shows it looks like. */
export const jsonResponse = <T>(schema: T, description: string, example?: unknown) => ({
  content: { "application/json": { schema, example } },
  description,
});

/**
 * The app the `{slug}` of the path names, in the caller's account (another account's app is
 * "not found": DESIGN "Auth").
 */
export function appOf(c: Context<ApiEnv>): Promise<App> {
  return getApp(c.get("kv"), c.get("principal").accountId, c.req.param("slug")!);
}
