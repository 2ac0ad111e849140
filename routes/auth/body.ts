/**
 * JSON bodies of `/auth/*` requests: read with a byte limit while they stream in (these
 * endpoints take requests from anyone, signed in or not) and checked against a zod schema, every
 * failing field named in a 422 (routes/errors.ts writes it).
 */
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { z } from "zod";
import { TooLargeError } from "../../lib/errors.ts";
import { validationError } from "../errors.ts";

/** A WebAuthn response is a few KiB at most (an attestation with a certificate chain). */
export const AUTH_BODY_LIMIT = 64 * 1024;

export const limitAuthBody: MiddlewareHandler = bodyLimit({
  maxSize: AUTH_BODY_LIMIT,
  onError: () => {
    throw new TooLargeError(`JSON body is larger than ${AUTH_BODY_LIMIT} bytes`);
  },
});

/** The request's JSON body as `schema` describes it; a malformed body is a 400, a wrong one 422. */
export async function readBody<S extends z.ZodType>(
  c: Context,
  schema: S,
): Promise<z.infer<S>> {
  // A SyntaxError here is the error handler's `malformed_json` 400.
  const body = await c.req.json();
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw validationError(parsed.error);
}
