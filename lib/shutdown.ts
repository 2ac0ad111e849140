/**
 * Graceful shutdown on SIGTERM and SIGINT: stop taking requests, let the ones in flight finish
 * (within `SWITCHYARD_SHUTDOWN_MS`), write the aggregated counters, close KV.
 *
 * Requests are counted here instead of relying on `server.shutdown()` alone: on Deno 2.9 it makes
 * the body of every request still being received unreadable at once (denoland/deno#36809), which
 * would fail an archive upload in flight. So while draining, new requests get a 503 and
 * `shutdown()` is only called once no handler is left running.
 */
import { errorBody } from "./error_body.ts";
import type { Logger } from "./log.ts";

export class Drain {
  #inFlight = 0;
  #draining = false;
  #onIdle: (() => void) | null = null;

  get inFlight(): number {
    return this.#inFlight;
  }

  /**
   * Wraps the request handler: counts the requests it runs, answers 503 once draining. The
   * handler info `Deno.serve` passes (the TCP peer) is handed on.
   */
  wrap(handler: Deno.ServeHandler): Deno.ServeHandler {
    const done = () => {
      if (--this.#inFlight === 0) this.#onIdle?.();
    };
    return (request, info) => {
      if (this.#draining) return shuttingDown();
      this.#inFlight++;
      let answer: Response | Promise<Response>;
      try {
        answer = handler(request, info);
      } catch (error) {
        done();
        throw error;
      }
      // A synchronous answer stays synchronous (the edge's warm path); a promise is counted
      // until it settles.
      if (!(answer instanceof Promise)) {
        done();
        return answer;
      }
      return answer.finally(done);
    };
  }

  /** Stops taking requests; true once none is in flight, false if `deadline` comes first. */
  drain(deadline: Promise<unknown>): Promise<boolean> {
    this.#draining = true;
    if (this.#inFlight === 0) return Promise.resolve(true);
    const idle = new Promise<true>((resolve) => this.#onIdle = () => resolve(true));
    return Promise.race([idle, deadline.then(() => false as const)]);
  }
}

function shuttingDown(): Response {
  return Response.json(
    errorBody("shutting_down", "This Switchyard process is stopping; try again"),
    {
      status: 503,
      headers: { "retry-after": "1", connection: "close", "cache-control": "no-store" },
    },
  );
}

/** How long the last writes may take after the drain deadline. */
const HARD_STOP_MS = 5000;

export interface ShutdownSteps {
  server: Deno.HttpServer;
  drain: Drain;
  /** Writes what is aggregated in memory; called before and after waiting. */
  flush(): Promise<void>;
  /** Closes the rest (edge timers, KV). */
  close(): Promise<void>;
  timeoutMs: number;
  log: Logger;
}

/**
 * Runs the shutdown on the first SIGTERM or SIGINT and exits. A second signal stops waiting for
 * requests in flight (the counters are still written).
 */
export function shutDownOnSignals(steps: ShutdownSteps): void {
  let hurry: (() => void) | null = null;
  const onSignal = (signal: Deno.Signal) => {
    if (hurry) {
      steps.log.warn("Second signal: not waiting for requests in flight", { signal });
      return hurry();
    }
    const hurried = new Promise<void>((resolve) => hurry = resolve);
    shutDown(signal, steps, hurried).finally(() => Deno.exit(0));
  };
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    try {
      Deno.addSignalListener(signal, () => onSignal(signal));
    } catch {
      // Windows has no SIGTERM; SIGINT (Ctrl-C) still works there.
    }
  }
}

async function shutDown(signal: string, steps: ShutdownSteps, hurried: Promise<void>) {
  const { log, drain, timeoutMs } = steps;
  log.info("Shutting down", { signal, in_flight: drain.inFlight, timeout_ms: timeoutMs });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = Promise.race([
    new Promise<void>((resolve) => timer = setTimeout(resolve, timeoutMs)),
    hurried,
  ]);
  // KV that stopped answering must not keep the process alive: past the deadline and a grace
  // period, it exits anyway (what is not written by then is lost either way).
  const hardStop = setTimeout(() => {
    log.error("Shutdown did not finish in time: exiting", { timeout_ms: timeoutMs + HARD_STOP_MS });
    Deno.exit(1);
  }, timeoutMs + HARD_STOP_MS);
  const drained = drain.drain(deadline); // from here on, new requests get a 503
  // Deno Deploy kills an instance 5 s after its SIGINT: what is counted so far is written first.
  await Promise.race([steps.flush(), deadline]);
  if (await drained) {
    // Nothing is running now; this closes the listener and waits for bodies still being sent.
    await Promise.race([steps.server.shutdown(), deadline]);
  } else {
    log.warn("Requests still in flight at the shutdown timeout are cut off", {
      in_flight: drain.inFlight,
      timeout_ms: timeoutMs,
    });
  }
  clearTimeout(timer);
  try {
    await steps.close();
  } catch (error) {
    log.error("Closing after shutdown failed", { error: String(error) });
  }
  clearTimeout(hardStop);
  log.info("Stopped", { signal });
}
