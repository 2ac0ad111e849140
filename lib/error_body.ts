/**
 * The one shape of an error answered in JSON (API.md "Conventions"), built here and nowhere
 * else: the API's mapper (`routes/errors.ts`), the edge's (`edge/errors.ts`) and the process's
 * own last-resort answers (`log.ts`, `shutdown.ts`) all write their bodies with `errorBody`, so
 * a client reads every error of every surface the same way. No status here: each surface
 * decides its own (`tests/error_bodies_test.ts` holds the code to this).
 */

/** `{"error": {"code", "message", "details"?}}`: a machine code and a sentence for a person. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** The error body for `code` and `message`; `details` only when there are some. */
export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/**
 * Comecero's error shape (COMECERO-API.md §3), which the shopper API answers: its client copies
 * `error` as it is and reads `code`, `status` and `meta` (an inventory error's product, say).
 */
export interface ComeceroErrorBody {
  error: {
    type: string;
    code: string;
    message: string;
    status: number;
    reference: string;
    meta: unknown;
  };
}

/** The Comecero error body; `reference` is what a shopper quotes to support (the request id). */
export function comeceroErrorBody(
  fields: { type: string; code: string; message: string; status: number; reference: string },
  meta?: unknown,
): ComeceroErrorBody {
  return { error: { ...fields, meta: meta ?? null } };
}
