/**
 * The one handler of the program: the platform host gets the platform app (API, admin, the CLI
 * bundle), every other host the edge (DESIGN "Shape of the program"). Each request is logged as
 * one JSON line.
 */
import { Hono } from "hono";
import type { Config } from "./config.ts";
import { createEdge, type Edge } from "./edge/handler.ts";
import { SWITCHYARD_VERSION } from "./edge/reserved.ts";
import { pingKv } from "./kv/open.ts";
import { BUILD_URL_PREFIX, type BuildOutput, serveBuilt } from "./lib/build_output.ts";
import {
  atLeast,
  createLogger,
  internalError,
  type Logger,
  logRequest,
  requestIdOf,
} from "./lib/log.ts";
import { apiApp } from "./routes/api/mod.ts";
import { errorHandler, notFound } from "./routes/errors.ts";

export interface Switchyard {
  fetch(request: Request): Response | Promise<Response>;
  edge: Edge;
  /** Writes the counters aggregated so far (shutdown does it first, before waiting). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface SwitchyardOptions {
  /** What `deno task build` produced; null (the default) makes `/cli.js` a 503. */
  build?: BuildOutput | null;
  /** Request and error log; by default only warnings and errors are written. */
  log?: Logger;
}

export function platformApp(
  kv: Deno.Kv,
  config: Config,
  build: BuildOutput | null,
  log: Logger,
) {
  const app = new Hono<{ Variables: { requestId: string } }>();
  // Taken before anything can replace `c.req.raw`, so an error line has the request line's id.
  app.use("*", (c, next) => {
    c.set("requestId", requestIdOf(c.req.raw));
    return next();
  });
  app.route("/api/v1", apiApp(kv, config, log));
  app.get("/", (c) =>
    c.json({
      name: "Switchyard",
      api: "/api/v1",
      openapi: "/api/v1/openapi.json",
      cli: "/cli.js",
      health: "/_switchyard/health",
    }));
  app.get("/cli.js", (c) => serveBuilt(c.req.raw, build, build?.manifest.cli ?? "cli.js"));
  app.get(
    `${BUILD_URL_PREFIX}*`,
    (c) => serveBuilt(c.req.raw, build, c.req.path.slice(BUILD_URL_PREFIX.length)),
  );
  app.get("/_switchyard/health", async (c) => {
    const kvOk = await pingKv(kv);
    return c.json(
      {
        status: kvOk ? "ok" : "unavailable",
        version: SWITCHYARD_VERSION,
        region: Deno.env.get("DENO_REGION") ?? null,
        kv: kvOk ? "ok" : "unreachable",
        build: build ? build.manifest.built_at : null,
      },
      kvOk ? 200 : 503,
      { "cache-control": "no-store" },
    );
  });
  app.onError(errorHandler(log));
  app.notFound(notFound);
  return app;
}

/** Host name of a request without the port, lowercased. */
export function hostOf(request: Request): string {
  const host = request.headers.get("host") ?? new URL(request.url).host;
  const colon = host.lastIndexOf(":");
  const bare = colon > host.lastIndexOf("]") ? host.slice(0, colon) : host;
  return bare.toLowerCase();
}

const HOST_MEMO_SIZE = 4096;

/**
 * Host header → bare lowercased host, or null when malformed. Shoppers' browsers send a handful
 * of distinct Host values, so remembering them spares every request the regular expression and
 * the string copies (bounded: a flood of made-up hosts only empties it). One per instance: a
 * flood aimed at one never empties another's.
 */
class HostMemo {
  #hosts = new Map<string, string | null>();

  of(request: Request): string | null {
    const header = request.headers.get("host");
    if (header === null) return hostOf(request);
    let host = this.#hosts.get(header);
    if (host === undefined) {
      host = isValidHost(request) ? hostOf(request) : null;
      if (this.#hosts.size >= HOST_MEMO_SIZE) this.#hosts.clear();
      this.#hosts.set(header, host);
    }
    return host;
  }
}

/** A DNS name (labels of ≤ 63), an IPv4 or a bracketed IPv6 literal, with an optional port. */
const HOST_HEADER =
  /^(?:(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?$/;

/**
 * Whether the Host header can name anything here. A malformed one (a port of "abc" or 99999, a
 * label longer than DNS allows) would otherwise surface deep inside as a URL or KV-key error.
 */
export function isValidHost(request: Request): boolean {
  const host = request.headers.get("host");
  if (host === null) return true;
  if (host.length > 255) return false;
  const match = HOST_HEADER.exec(host);
  return match !== null && (match[1] === undefined || Number(match[1]) <= 65535);
}

function badHost(): Response {
  return Response.json(
    { error: { code: "bad_host", message: "The Host header is not a valid host name" } },
    { status: 400, headers: { "cache-control": "no-store" } },
  );
}

/** The app (and version) a platform request is about, read from its API path. */
function platformFields(request: Request) {
  const match = /^[a-z]+:\/\/[^/]+\/api\/v1\/apps\/([^/?]+)(?:\/versions\/(\d+))?/.exec(
    request.url,
  );
  return {
    surface: "platform",
    app: match ? match[1] : null,
    version: match?.[2] ? Number(match[2]) : null,
  };
}

export function createSwitchyard(
  kv: Deno.Kv,
  config: Config,
  options: SwitchyardOptions = {},
): Switchyard {
  const log = options.log ?? createLogger({ level: "warn" });
  const platform = platformApp(kv, config, options.build ?? null, log);
  // Shoppers' requests are many and cheap: their lines are opt-in (errors are always written).
  const edgeLog = config.edgeRequestLog ? log : atLeast(log, "warn");
  const edgeLines = edgeLog.enabled("info");
  const edge = createEdge(kv, config, { annotate: edgeLines, log: edgeLog });
  const suffix = `.${config.appsDomain}`;
  const hosts = new HostMemo();
  return {
    edge,
    fetch(request) {
      const host = hosts.of(request);
      if (host === null) return badHost();
      if (host === config.platformHost) {
        return logRequest(
          log,
          request,
          () => platformFields(request),
          () => platform.fetch(request),
        );
      }
      if (!edgeLines) {
        // The hot path: no closure, no await, nothing allocated for logging.
        try {
          const answer = edge.handle(request, host);
          return answer instanceof Promise
            ? answer.catch((e) => internalError(edgeLog, request, e))
            : answer;
        } catch (error) {
          return internalError(edgeLog, request, error);
        }
      }
      const app = host.endsWith(suffix) ? host.slice(0, -suffix.length) : null;
      return logRequest(
        edgeLog,
        request,
        () => ({ surface: "edge", app }),
        () => edge.handle(request, host),
      );
    },
    flush: () => edge.counters.flush(),
    close: () => edge.close(),
  };
}
