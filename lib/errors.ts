/**
 * Domain errors. Code deep down throws these; `routes/errors.ts` maps them to an HTTP status
 * and the API's error JSON in one place, so no route builds an error response by hand.
 */
export class DomainError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The resource does not exist, or belongs to another account (never 403: see DESIGN "Auth"). */
export class NotFoundError extends DomainError {
  constructor(message: string, code = "not_found") {
    super(404, code, message);
  }
}

/** The request lost a race or contradicts the current state (stale `expect`, taken slug). */
export class ConflictError extends DomainError {
  constructor(message: string, code = "conflict", details?: unknown) {
    super(409, code, message, details);
  }
}

/** Well-formed input that breaks a rule (per-field `details` where there are fields). */
export class ValidationError extends DomainError {
  constructor(message: string, details?: unknown, code = "validation_failed") {
    super(422, code, message, details);
  }
}

/** Missing or bad credentials. */
export class AuthError extends DomainError {
  constructor(message = 'A valid API token is required: send "Authorization: Bearer <token>"') {
    super(401, "unauthorized", message);
  }
}

/**
 * A package (archive or manifest) was refused. `entry` names the offending path so the
 * merchant knows what to change; `rule` is a stable machine word for the broken rule.
 */
export class PackageError extends DomainError {
  constructor(
    readonly rule: string,
    message: string,
    readonly entry?: string,
    status: 400 | 413 | 415 | 422 = 422,
  ) {
    super(status, `package_${rule}`, message, entry === undefined ? { rule } : { rule, entry });
  }
}
