/**
 * The one handler of the program: the platform host gets the platform app (API, API reference,
 * CLI bundle), every other host the edge (DESIGN "Shape of the program"). Each request is logged as
 * one JSON line.
 *
 * Only the edge is loaded at start. The platform (Hono, zod, the API's schemas and everything
 * behind them) is imported on the first platform request, so a fresh isolate answers its first
 * shopper without loading any of it (DESIGN "Cold start"); tests/cold_start_test.ts holds the
 * edge's module graph to that.
 */
import type { Config } from "./config.ts";
import { createEdge, type Edge } from "./edge/handler.ts";
import { jsonError } from "./edge/errors.ts";
import type { BuildOutput } from "./lib/build_output.ts";
import { importLazily } from "./lib/lazy_import.ts";
import { atLeast, createLogger, internalError, type Logger, logRequest } from "./lib/log.ts";
import type { Platform } from "./routes/platform.ts";
import type { ShopperApi, ShopperApiLoader } from "./edge/shopper_api.ts";
import type { PaymentGateway } from "./commerce/gateway.ts";

export interface Switchyard {
  /**
   * Answers a request. `info` is what `Deno.serve` passes its handler: the TCP peer, which
   * decides whether a trusted proxy's `Forwarded`/`X-Forwarded-Proto` is believed.
   */
  fetch(request: Request, info?: Deno.ServeHandlerInfo): Response | Promise<Response>;
  edge: Edge;
  /** Writes the counters aggregated so far (shutdown does it first, before waiting). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface SwitchyardOptions {
  /**
   * What `deno task build` produced, or how to read it when the platform first loads; null (the
   * default) makes `/cli.js` a 503.
   */
  build?: BuildOutput | null | (() => Promise<BuildOutput | null>);
  /** Request and error log; by default only warnings and errors are written. */
  log?: Logger;
  /**
   * Settles when the start-up chores the platform relies on (the default account, the bootstrap
   * token, the demo) have run; rejects while one of them is failing. Shoppers never wait on it.
   */
  ready?: () => Promise<void>;
  /** The payment gateway of the shopper API on both hosts; by default each has a test gateway. */
  gateway?: PaymentGateway;
  /**
   * Work to begin once the first request has been answered (start-up chores, timers): run a
   * turn of the event loop after that answer, so it never delays the first byte.
   */
  afterFirstAnswer?: () => void;
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

/** A Host header no host can have: refused before the platform or the edge is chosen. */
function badHost(): Response {
  return jsonError("bad_request", "bad_host", "The Host header is not a valid host name");
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
  const platform = lazyPlatform(kv, config, options, log);
  // Shoppers' requests are many and cheap: their lines are opt-in (errors are always written).
  const edgeLog = config.edgeRequestLog ? log : atLeast(log, "warn");
  const edgeLines = edgeLog.enabled("info");
  const edge = createEdge(kv, config, {
    annotate: edgeLines,
    log: edgeLog,
    deferTimers: true,
    shopperApi: lazyShopperApi(kv, config, log, options.gateway),
  });
  const suffix = `.${config.appsDomain}`;
  const hosts = new HostMemo();
  let pending: (() => void) | null = () => {
    edge.startTimers();
    options.afterFirstAnswer?.();
  };
  return {
    edge,
    fetch(request, info) {
      if (pending !== null) return answerFirst(request, info);
      return handle(request, info);
    },
    flush: () => edge.counters.flush(),
    close: () => edge.close(),
  };

  function handle(request: Request, info?: Deno.ServeHandlerInfo): Response | Promise<Response> {
    const host = hosts.of(request);
    if (host === null) return badHost();
    if (host === config.platformHost) {
      return logRequest(
        log,
        request,
        () => platformFields(request),
        () => platform(request, info),
      );
    }
    if (!edgeLines) {
      // The hot path: no closure, no await, nothing allocated for logging.
      try {
        const answer = edge.handle(request, host, info);
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
      () => edge.handle(request, host, info),
    );
  }

  /**
   * A request before the first answer is out: answered first, then (a turn later) the work that
   * waited for the first answer, once.
   */
  function answerFirst(
    request: Request,
    info: Deno.ServeHandlerInfo | undefined,
  ): Response | Promise<Response> {
    const answer = handle(request, info);
    // Every request until then schedules it, so a slow first one (an upload) holds nothing up.
    // (A failed answer schedules it too, and its failure stays the caller's to see.)
    const later = () => void laterTurn().then(runPending);
    Promise.resolve(answer).then(later, later);
    return answer;
  }

  function runPending(): void {
    const run = pending;
    pending = null;
    run?.();
  }
}

/**
 * Resolves in a later turn of the event loop, after Deno has taken the answer in hand. Not a
 * timer: the first timer of a process costs ~5 ms to set up, which this exists to keep away from
 * the first answer. A WebCrypto digest is an async op, resolved when the loop next polls.
 */
function laterTurn(): Promise<unknown> {
  return crypto.subtle.digest("SHA-256", new Uint8Array(0));
}

/**
 * The shopper API on app hosts (edge/shopper.ts), imported and built on the first `/api/v1/`
 * request to one, like the platform: Hono and zod stay out of the start.
 */
function lazyShopperApi(
  kv: Deno.Kv,
  config: Config,
  log: Logger,
  gateway?: PaymentGateway,
): ShopperApiLoader {
  let loading: Promise<ShopperApi> | null = null;
  const load = async (): Promise<ShopperApi> => {
    const started = performance.now();
    const { createShopApi } = await importLazily<typeof import("./routes/shop/mod.ts")>(
      new URL("./routes/shop/mod.ts", import.meta.url),
    );
    log.info("Shopper API loaded", { ms: Math.round(performance.now() - started) });
    return createShopApi(kv, config, log, gateway);
  };
  return () =>
    loading ??= load().catch((error) => {
      loading = null;
      throw error;
    });
}

/**
 * The platform's handler, imported and built on the first platform request (and again after a
 * failed import).
 */
function lazyPlatform(kv: Deno.Kv, config: Config, options: SwitchyardOptions, log: Logger) {
  let loading: Promise<Platform> | null = null;
  const load = async (): Promise<Platform> => {
    const started = performance.now();
    const [{ createPlatform }, build] = await Promise.all([
      importLazily<typeof import("./routes/platform.ts")>(
        new URL("./routes/platform.ts", import.meta.url),
      ),
      typeof options.build === "function" ? options.build() : options.build ?? null,
    ]);
    const platform = createPlatform(kv, config, {
      build,
      log,
      ready: options.ready,
      gateway: options.gateway,
    });
    log.info("Platform loaded", { ms: Math.round(performance.now() - started) });
    return platform;
  };
  return async (request: Request, info?: Deno.ServeHandlerInfo): Promise<Response> => {
    loading ??= load().catch((error) => {
      loading = null;
      throw error;
    });
    return await (await loading).fetch(request, { info });
  };
}
