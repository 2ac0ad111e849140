/**
 * The shopper API's one mapper from errors to answers: Comecero's error shape
 * (`lib/error_body.ts` `comeceroErrorBody`) with the status of the kind (`lib/http_status.ts`,
 * as the merchant API and the edge use it). Comecero's client reacts to some codes by name:
 * `invalid_state` (a closed cart), `unavailable_inventory`, `insufficient_permissions`; a 401
 * makes it start a new session. Anything unexpected is a logged 500 that tells nothing.
 */
import type { ZodError } from "zod";
import { comeceroErrorBody } from "../../lib/error_body.ts";
import {
  DomainError,
  type ErrorKind,
  RateLimitedError,
  ValidationError,
} from "../../lib/errors.ts";
import { STATUS_OF_KIND } from "../../lib/http_status.ts";
import { internalError, type Logger, requestIdOf } from "../../lib/log.ts";

/** Comecero's `type` for each kind (its client shows `message` and reads `code`). */
const TYPE_OF_KIND: Record<ErrorKind, string> = {
  bad_request: "bad_request",
  unauthenticated: "unauthorized",
  forbidden: "forbidden",
  not_found: "not_found",
  conflict: "conflict",
  too_large: "bad_request",
  unsupported_media_type: "bad_request",
  invalid_input: "invalid_request",
  rate_limited: "rate_limited",
  timed_out: "bad_request",
  unavailable: "service_unavailable",
  payment_failed: "card_error",
};

/** The answer to a domain error, in Comecero's shape; `headers` are added as given. */
export function shopErrorResponse(
  error: DomainError,
  request: Request,
  headers: [string, string][] = [],
): Response {
  const status = STATUS_OF_KIND[error.kind];
  const body = comeceroErrorBody({
    type: TYPE_OF_KIND[error.kind],
    code: error.code,
    message: error.message,
    status,
    reference: requestIdOf(request),
  }, error.details);
  const wait: [string, string][] = error instanceof RateLimitedError
    ? [["retry-after", String(error.retryAfter)]]
    : [];
  return Response.json(body, {
    status,
    headers: [["cache-control", "no-store"], ...wait, ...headers],
  });
}

/** A body that failed its schema: 422 `invalid_input`, each failing field in `meta`. */
export function invalidInput(error: ZodError, where: string): ValidationError {
  const fields = error.issues.map((issue) => ({
    field: issue.path.map(String).join(".") || "(body)",
    message: issue.message,
  }));
  const named = fields.map((f) => `"${f.field}"`).join(", ");
  return new ValidationError(`Invalid ${where}: check ${named}`, { fields }, "invalid_input");
}

/**
 * An unexpected failure, as the shopper sees it: a 500 with nothing internal, a reference to
 * quote. Not a 503, which says "unavailable, retry" and invites retry loops for what is a bug.
 */
function internalErrorResponse(request: Request): Response {
  const body = comeceroErrorBody({
    type: "internal_server_error",
    code: "internal_server_error",
    message: "Something went wrong on our side",
    status: 500,
    reference: requestIdOf(request),
  });
  return Response.json(body, { status: 500, headers: { "cache-control": "no-store" } });
}

/** Hono's error handler for the shopper API. */
export function shopErrorHandler(log: Logger) {
  return (error: Error, c: { req: { raw: Request } }): Response => {
    if (error instanceof DomainError) return shopErrorResponse(error, c.req.raw);
    if (error instanceof SyntaxError) {
      return shopErrorResponse(
        // Never V8's text: it may quote the body, and a payment's body holds a card number.
        new ValidationError("Malformed JSON body", undefined, "invalid_input"),
        c.req.raw,
      );
    }
    // Logged (with the request id) by the process's own mapper; answered in Comecero's shape,
    // which the client dereferences (its test mode hangs on any other body).
    const logged = internalError(log, c.req.raw, error);
    void logged.body?.cancel();
    return internalErrorResponse(c.req.raw);
  };
}
