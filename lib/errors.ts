/**
 * Domain errors: what went wrong, as a `kind` and a stable `code`, never as an HTTP status.
 * The model and the pipeline (kv/, install/, package/, lib/) throw these; each surface maps a
 * kind to its answer in one place: the API in `routes/errors.ts` (`toErrorStatus`), the edge
 * in `edge/errors.ts`. Messages follow deno_std: sentence case, the offending value in quotes
 * after a colon, so the person reading one knows what to change.
 */

/** What kind of failure an error is: the only thing a surface needs to choose its answer. */
export type ErrorKind =
  | "bad_request"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "too_large"
  | "unsupported_media_type"
  | "invalid_input"
  | "rate_limited"
  | "timed_out"
  | "unavailable"
  | "payment_failed";

/** Base of every domain error; `details` is machine-readable context (failing fields, entry). */
export abstract class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input that does not parse at all: a malformed body, a Host header no host can have. */
export class BadRequestError extends DomainError {
  constructor(message: string, code = "bad_request") {
    super("bad_request", code, message);
  }
}

/** Missing or bad credentials. */
export class UnauthenticatedError extends DomainError {
  constructor(
    message = 'A valid API token is required: send "Authorization: Bearer <token>"',
    code = "unauthorized",
  ) {
    super("unauthenticated", code, message);
  }
}

/**
 * Known credentials that do not allow the operation (a token's scope, its creator's role). Never
 * for another account's resource: that is "not found" (DESIGN "Auth").
 */
export class ForbiddenError extends DomainError {
  constructor(message: string, code = "forbidden") {
    super("forbidden", code, message);
  }
}

/** No such resource, or it is another account's (never "forbidden": DESIGN "Auth"). */
export class NotFoundError extends DomainError {
  constructor(message: string, code = "not_found") {
    super("not_found", code, message);
  }
}

/** The request lost a race or contradicts the current state (stale `expect`, taken slug). */
export class ConflictError extends DomainError {
  constructor(message: string, code = "conflict", details?: unknown) {
    super("conflict", code, message, details);
  }
}

/** A body past its limit, counted while it streams in. */
export class TooLargeError extends DomainError {
  constructor(message: string, code = "too_large") {
    super("too_large", code, message);
  }
}

/** A body in a format the operation does not take. */
export class UnsupportedMediaTypeError extends DomainError {
  constructor(message: string, code = "unsupported_media_type") {
    super("unsupported_media_type", code, message);
  }
}

/** Well-formed input that breaks a rule (per-field `details` where there are fields). */
export class ValidationError extends DomainError {
  constructor(message: string, details?: unknown, code = "validation_failed") {
    super("invalid_input", code, message, details);
  }
}

/** Too many requests of a kind at once; the same request may pass after `retryAfter` seconds. */
export class RateLimitedError extends DomainError {
  constructor(message: string, code: string, readonly retryAfter: number) {
    super("rate_limited", code, message);
  }
}

/** The client took too long: a request body that stopped coming, or came too slowly. */
export class TimedOutError extends DomainError {
  constructor(message: string, code: string) {
    super("timed_out", code, message);
  }
}

/** Something the request needs cannot serve it now (storage maintenance, a missing build). */
export class UnavailableError extends DomainError {
  /** `retryAfter`: seconds after which trying again may help, when that is known. */
  constructor(message: string, code: string, readonly retryAfter?: number) {
    super("unavailable", code, message);
  }
}

/**
 * A payment the gateway refused (a decline, an expired card, a wrong CVC): `code` is Stripe's
 * word for it (`card_declined`, `insufficient_funds`…) and the message is one a shopper acts on.
 */
export class PaymentFailedError extends DomainError {
  constructor(message: string, code: string, details?: unknown) {
    super("payment_failed", code, message, details);
  }
}

/** How a package can be refused: it breaks a rule, passes a limit, or is not a readable archive. */
export type PackageErrorKind = Extract<ErrorKind, "invalid_input" | "too_large" | "bad_request">;

/**
 * A package (archive or manifest) was refused. `entry` names the offending path so the
 * merchant knows what to change; `rule` is a stable machine word for the broken rule.
 */
export class PackageError extends DomainError {
  constructor(
    readonly rule: string,
    message: string,
    readonly entry?: string,
    kind: PackageErrorKind = "invalid_input",
  ) {
    super(kind, `package_${rule}`, message, entry === undefined ? { rule } : { rule, entry });
  }
}
