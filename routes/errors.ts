/**
 * The one place where errors become HTTP answers: domain errors keep their status and code,
 * zod failures become 422 with every failing field, anything else is a logged 500 that tells
 * the client nothing internal.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ZodError } from "zod";
import { errorBody } from "../lib/error_body.ts";
import { DomainError } from "../lib/errors.ts";
import { internalError, type Logger } from "../lib/log.ts";

/** Per-field details from a zod error: `[{field: "items.0.quantity", message}]`. */
export function zodDetails(error: ZodError): { field: string; message: string }[] {
  return error.issues.map((issue) => ({
    field: issue.path.map(String).join(".") || "(body)",
    message: issue.message,
  }));
}

export function validationResponse(c: Context, error: ZodError, where = "request") {
  const details = zodDetails(error);
  const fields = details.map((d) => `"${d.field}"`).join(", ");
  return c.json(
    errorBody("validation_failed", `Invalid ${where}: check ${fields}`, details),
    422,
  );
}

/**
 * Hono's error handler: the answer each error deserves. Anything unexpected is logged through
 * `log` with the request's id (the same one its request line carries) and answered a 500.
 */
export function errorHandler(log: Logger) {
  return (error: Error, c: Context) => answerError(log, error, c);
}

function answerError(log: Logger, error: Error, c: Context): Response {
  if (error instanceof DomainError) {
    return c.json(errorBody(error.code, error.message, error.details), error.status);
  }
  if (error instanceof HTTPException && error.status === 415) {
    const type = c.req.header("content-type") ?? "(none)";
    const message = `This endpoint does not accept Content-Type: "${type}" ` +
      "(the accepted types are listed in /api/v1/openapi.json)";
    return c.json(errorBody("unsupported_media_type", message), 415);
  }
  if (error instanceof HTTPException) {
    return c.json(errorBody("bad_request", error.message || "Bad request"), error.status);
  }
  if (error instanceof SyntaxError) {
    return c.json(errorBody("malformed_json", `Malformed JSON body: ${error.message}`), 400);
  }
  // `c.req.raw` may be a copy (Hono's bodyLimit re-wraps a body sent without a length): the id
  // is the one the platform app took on arrival, when it did.
  const requestId: string | undefined = c.get("requestId");
  return internalError(log, c.req.raw, error, requestId);
}

export function notFound(c: Context) {
  return c.json(errorBody("not_found", `No such endpoint: ${c.req.method} ${c.req.path}`), 404);
}
