/**
 * Structured logs: one JSON object a line, so Deno Deploy's log viewer, journald or any log
 * collector can filter on fields instead of parsing sentences. Every request gets one line with
 * its request id, surface (platform or edge), app, version, status and duration.
 */
import { errorBody } from "./error_body.ts";

export type Level = "debug" | "info" | "warn" | "error";

export type Fields = Record<string, unknown>;

const RANK: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  enabled(level: Level): boolean;
  log(level: Level, msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
}

export interface LoggerOptions {
  /** The least severe level written (default `info`). */
  level?: Level;
  /** Where a line goes (default: stdout, warnings and errors to stderr). */
  write?: (line: string, level: Level) => void;
}

function writeConsole(line: string, level: Level): void {
  if (RANK[level] >= RANK.warn) console.error(line);
  else console.log(line);
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const least = RANK[options.level ?? "info"];
  const write = options.write ?? writeConsole;
  const enabled = (level: Level) => RANK[level] >= least;
  const log = (level: Level, msg: string, fields: Fields = {}) => {
    if (!enabled(level)) return;
    write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }), level);
  };
  return {
    enabled,
    log,
    info: (msg, fields) => log("info", msg, fields),
    warn: (msg, fields) => log("warn", msg, fields),
    error: (msg, fields) => log("error", msg, fields),
  };
}

/** Log fields for a caught value: its message, and the stack when there is one. */
export function errorFields(error: unknown): Fields {
  if (!(error instanceof Error)) return { error: String(error) };
  return { error: error.message, error_name: error.name, stack: error.stack };
}

const annotations = new WeakMap<Request, Fields>();

/**
 * Adds fields to a request's log line from deep inside its handler — the edge names the
 * version and mode it selected, which only it knows.
 */
export function annotate(request: Request, fields: Fields): void {
  const current = annotations.get(request);
  annotations.set(request, current ? { ...current, ...fields } : fields);
}

/** An `X-Request-Id` from a proxy in front is kept when it looks like one, else a fresh one. */
const REQUEST_ID = /^[\w.:@-]{8,128}$/;
const requestIds = new WeakMap<Request, string>();

/** The request's id: the same for every line about it (an error and its request line). */
export function requestIdOf(request: Request): string {
  let id = requestIds.get(request);
  if (id === undefined) {
    const given = request.headers.get("x-request-id");
    id = given !== null && REQUEST_ID.test(given) ? given : crypto.randomUUID();
    requestIds.set(request, id);
  }
  return id;
}

/**
 * Paths whose next segment is a bearer secret: a sign-in link and an invitation work from their
 * URL alone, so a log line holding one would hand the account to whoever reads the logs.
 */
const SECRET_IN_PATH = /^(\/+auth\/+(?:link|invitations)\/+)[^/]+/i;

/**
 * The one redaction rule for what a log line says of a URL: the path with any secret segment
 * replaced, and never the query string (test-link `token=`, OAuth `code` and `state` travel in
 * it). Every log line that names a request's URL goes through here.
 */
function loggedPath(url: string): string {
  const path = new URL(url).pathname;
  // Matched on the decoded path too: the router decodes `%6cink` to `link` before routing.
  let decoded = path;
  try {
    decoded = decodeURI(path);
  } catch {
    // Malformed escapes: the router cannot decode it either, so the raw path is what it routed.
  }
  return SECRET_IN_PATH.test(decoded) ? decoded.replace(SECRET_IN_PATH, "$1[redacted]") : path;
}

/**
 * Runs `handle`, answers a JSON 500 if it throws, and — when request lines are on — sets
 * `X-Request-Id` on the response and writes the request's log line. `fields` is called only
 * when the line is written. With request lines off (the edge's default) nothing is allocated
 * per request and a synchronous answer stays synchronous: this wraps the edge's hot path.
 * The duration is the time to the response head; a body streamed afterwards is not in it.
 */
export function logRequest(
  log: Logger,
  request: Request,
  fields: () => Fields,
  handle: () => Response | Promise<Response>,
): Response | Promise<Response> {
  const lines = log.enabled("info");
  if (!lines) return guarded(log, request, handle);
  const started = performance.now();
  const failed = (error: unknown) => internalError(log, request, error);
  const finish = (response: Response) => {
    const requestId = requestIdOf(request);
    try {
      response.headers.set("x-request-id", requestId);
    } catch {
      // Immutable headers (a `Response.redirect`, a proxied `fetch` response): the log has the id.
    }
    log.info("request", {
      request_id: requestId,
      method: request.method,
      host: request.headers.get("host"),
      path: loggedPath(request.url),
      status: response.status,
      duration_ms: Math.round((performance.now() - started) * 10) / 10,
      ...fields(),
      ...annotations.get(request),
    });
    return response;
  };
  let answer: Response | Promise<Response>;
  try {
    answer = handle();
  } catch (error) {
    return finish(failed(error));
  }
  return answer instanceof Promise
    ? answer.then(finish, (error) => finish(failed(error)))
    : finish(answer);
}

/**
 * The JSON 500 for a handler that threw, with an error line holding the stack. `requestId`:
 * the id taken when the request arrived, for a handler that only has a re-wrapped `Request`.
 */
export function internalError(
  log: Logger,
  request: Request,
  error: unknown,
  requestId = requestIdOf(request),
): Response {
  log.error("Request failed", { request_id: requestId, ...errorFields(error) });
  return Response.json(errorBody("internal", "Something went wrong on our side; try again"), {
    status: 500,
    headers: { "cache-control": "no-store" },
  });
}

/**
 * `handle()` with a JSON 500 for whatever it throws, allocating nothing on the way when it
 * answers synchronously (the edge's warm path).
 */
export function guarded(
  log: Logger,
  request: Request,
  handle: () => Response | Promise<Response>,
): Response | Promise<Response> {
  try {
    const answer = handle();
    return answer instanceof Promise
      ? answer.catch((error) => internalError(log, request, error))
      : answer;
  } catch (error) {
    return internalError(log, request, error);
  }
}

/** A view of `log` that writes only `level` and above (the edge's request lines are opt-in). */
export function atLeast(log: Logger, level: Level): Logger {
  const enabled = (wanted: Level) => RANK[wanted] >= RANK[level] && log.enabled(wanted);
  const write = (wanted: Level, msg: string, fields?: Fields) => {
    if (enabled(wanted)) log.log(wanted, msg, fields);
  };
  return {
    enabled,
    log: write,
    info: (msg, fields) => write("info", msg, fields),
    warn: (msg, fields) => write("warn", msg, fields),
    error: (msg, fields) => write("error", msg, fields),
  };
}
