/**
 * The edge's error answers in JSON, mapped here and nowhere else (STYLE "Errors"). Where the
 * edge answers JSON — `/_switchyard/*`, the reserved `/settings/*`, `/analytics/*` and
 * `/api/v1/*` paths, the events beacon — an error is the API's body (`lib/error_body.ts`) with
 * the status this table gives its kind. Its answers to shoppers' navigations (a missing page,
 * a malformed path, an unknown host) stay the small HTML pages of `pages.ts`.
 *
 * The edge cannot import the API's mapper (`routes/` is the platform); it shares its table of
 * statuses (`lib/http_status.ts`) and adds one condition of its own: a method a reserved path
 * does not take. Any other error thrown while it answers is a bug, and ends as the logged 500 of
 * `lib/log.ts`.
 */
import { errorBody } from "../lib/error_body.ts";
import type { ErrorKind } from "../lib/errors.ts";
import { STATUS_OF_KIND } from "../lib/http_status.ts";
import { jsonResponse } from "./pages.ts";

/** What the edge refuses in JSON: a kind of error, or a method a path does not take. */
export type EdgeProblem = ErrorKind | "method_not_allowed";

const statusOf = (problem: EdgeProblem) =>
  problem === "method_not_allowed" ? 405 : STATUS_OF_KIND[problem];

/**
 * The edge's JSON answer to `problem`: its status, the error body with `code` and `message`,
 * never cached, `nosniff`, and the `extra` headers given (the `Allow` of a 405).
 */
export function jsonError(
  problem: EdgeProblem,
  code: string,
  message: string,
  extra: [string, string][] = [],
): Response {
  return jsonResponse(statusOf(problem), errorBody(code, message), extra);
}

/** The JSON 404 for a reserved path that names nothing; `message` quotes the path. */
export function notFoundJson(message: string): Response {
  return jsonError("not_found", "not_found", message);
}
