/**
 * The HTTP status of each kind of error, for every surface that answers over HTTP (the API's
 * mapper in routes/errors.ts, the edge's in edge/errors.ts): one table, so the API and a
 * storefront host never answer the same failure with different statuses. The errors themselves
 * (lib/errors.ts) carry no status.
 */
import type { ErrorKind } from "./errors.ts";

export const STATUS_OF_KIND = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media_type: 415,
  invalid_input: 422,
  rate_limited: 429,
  timed_out: 408,
  unavailable: 503,
  // RFC 9110 reserves 402; Stripe and Comecero answer a declined card with it.
  payment_failed: 402,
} as const satisfies Record<ErrorKind, number>;
