/**
 * The API's one mapper from errors to answers (STYLE "Errors"). `toErrorStatus` is the table
 * from each kind of domain error to its HTTP status, and every API error body is written here:
 * a domain error with its code, message and details; the refusals Hono and zod-openapi make
 * before a handler runs (malformed JSON, a media type, a failed validation; the JSON body limit
 * throws its own kind) as the kinds they are; anything else a logged 500 that tells the client
 * nothing internal. The platform's own answers outside the API (`/cli.js` and the API reference
 * without a build) come here too; a bad Host header is refused before the platform is chosen,
 * by the edge's mapper (server.ts).
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ZodError } from "zod";
import { errorBody } from "../lib/error_body.ts";
import {
  BadRequestError,
  DomainError,
  type ErrorKind,
  NotFoundError,
  RateLimitedError,
  UnavailableError,
  UnsupportedMediaTypeError,
  ValidationError,
} from "../lib/errors.ts";
import { internalError, type Logger } from "../lib/log.ts";
import { STATUS_OF_KIND } from "../lib/http_status.ts";

/** The HTTP status the API answers an error of `kind` with. */
export function toErrorStatus(kind: ErrorKind): ContentfulStatusCode {
  return STATUS_OF_KIND[kind];
}

/**
 * The API's answer to a domain error: its status, its code, message and details, and
 * `Retry-After` when waiting helps. An unavailable answer is about this moment, so nothing in
 * front may keep it (`no-store`). `headers` are added as given.
 */
export function errorResponse(error: DomainError, headers: Record<string, string> = {}): Response {
  const all = { ...headers };
  if (error instanceof RateLimitedError) all["retry-after"] = String(error.retryAfter);
  if (error instanceof UnavailableError && error.retryAfter !== undefined) {
    all["retry-after"] = String(error.retryAfter);
  }
  if (error.kind === "unavailable") all["cache-control"] = "no-store";
  const body = errorBody(error.code, error.message, error.details);
  return Response.json(body, { status: toErrorStatus(error.kind), headers: all });
}

/** Per-field details from a zod error: `[{field: "items.0.quantity", message}]`. */
function zodDetails(error: ZodError): { field: string; message: string }[] {
  return error.issues.map((issue) => ({
    field: issue.path.map(String).join(".") || "(body)",
    message: issue.message,
  }));
}

/** A request that failed its schema, as a domain error naming every failing field. */
export function validationError(error: ZodError, where = "request"): ValidationError {
  const details = zodDetails(error);
  const fields = details.map((d) => `"${d.field}"`).join(", ");
  return new ValidationError(`Invalid ${where}: check ${fields}`, details);
}

/** The answer to a request that failed its schema: 422, every failing field in `details`. */
export function validationResponse(error: ZodError, where = "request"): Response {
  return errorResponse(validationError(error, where));
}

/**
 * What an error is as a domain error: ours as they are, Hono's and zod-openapi's refusals as
 * their kinds (the only ones they throw here are a 415 and a 400); null for anything else.
 */
function asDomainError(error: Error, c: Context): DomainError | null {
  if (error instanceof DomainError) return error;
  if (error instanceof HTTPException && error.status === 415) {
    const type = c.req.header("content-type") ?? "(none)";
    return new UnsupportedMediaTypeError(
      `This endpoint does not accept Content-Type: "${type}" ` +
        "(the accepted types are listed in /api/v1/openapi.json)",
    );
  }
  if (error instanceof HTTPException) return new BadRequestError(error.message || "Bad request");
  if (error instanceof SyntaxError) {
    return new BadRequestError(`Malformed JSON body: ${error.message}`, "malformed_json");
  }
  return null;
}

/**
 * Hono's error handler: the answer each error deserves. Anything unexpected is logged through
 * `log` with the request's id (the same one its request line carries) and answered a 500.
 */
export function errorHandler(log: Logger) {
  return (error: Error, c: Context): Response => {
    const known = asDomainError(error, c);
    if (known) return errorResponse(known);
    // `c.req.raw` may be a copy (Hono's bodyLimit re-wraps a body sent without a length): the
    // id is the one the platform app took on arrival, when it did.
    const requestId: string | undefined = c.get("requestId");
    return internalError(log, c.req.raw, error, requestId);
  };
}

/** No route matched: 404 naming the method and path. */
export function notFound(c: Context): Response {
  return errorResponse(new NotFoundError(`No such endpoint: ${c.req.method} ${c.req.path}`));
}
