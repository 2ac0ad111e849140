import { OpenAPIHono } from "@hono/zod-openapi";
import type { Config } from "../../config.ts";
import type { Principal } from "../../kv/accounts.ts";
import { validationResponse } from "../errors.ts";

/** What every API handler can read from its context. */
export interface ApiEnv {
  Variables: {
    kv: Deno.Kv;
    config: Config;
    principal: Principal;
  };
}

/** A router whose failed validations answer our 422 error JSON (not zod's raw error). */
export function apiRouter() {
  return new OpenAPIHono<ApiEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return validationResponse(c, result.error, result.target);
    },
  });
}

export const jsonBody = <T>(schema: T, required = true) => ({
  required,
  content: { "application/json": { schema } },
});

export const jsonResponse = <T>(schema: T, description: string) => ({
  content: { "application/json": { schema } },
  description,
});
