/**
 * Structured logs: one JSON object a line, so Deno Deploy's log viewer, journald or any log
 * collector can filter on fields instead of parsing sentences. Every request gets one line with
 * its request id, surface (platform or edge), app, version, status and duration.
 */

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

export function requestIdOf(request: Request): string {
  const given = request.headers.get("x-request-id");
  return given !== null && REQUEST_ID.test(given) ? given : crypto.randomUUID();
}

/**
 * Runs `handle`, answers a JSON 500 if it throws, sets `X-Request-Id` on the response and writes
 * the request's log line. `fields` is called only when the line is written. The duration is the
 * time to the response head; a body streamed afterwards is not in it.
 */
export async function logRequest(
  log: Logger,
  request: Request,
  fields: () => Fields,
  handle: () => Response | Promise<Response>,
): Promise<Response> {
  const started = performance.now();
  const requestId = requestIdOf(request);
  let response: Response;
  try {
    response = await handle();
  } catch (error) {
    log.error("Request failed", { request_id: requestId, ...errorFields(error) });
    response = Response.json(
      { error: { code: "internal", message: "Something went wrong on our side; try again" } },
      { status: 500, headers: { "cache-control": "no-store" } },
    );
  }
  try {
    response.headers.set("x-request-id", requestId);
  } catch {
    // Immutable headers (a `Response.redirect`, a proxied `fetch` response): the log has the id.
  }
  if (log.enabled("info")) {
    log.info("request", {
      request_id: requestId,
      method: request.method,
      host: request.headers.get("host"),
      // Never the query string: test-link tokens travel in it.
      path: new URL(request.url).pathname,
      status: response.status,
      duration_ms: Math.round((performance.now() - started) * 10) / 10,
      ...fields(),
      ...annotations.get(request),
    });
  }
  return response;
}
