/**
 * Start-up chores that can wait (DESIGN "Cold start"): they run after the server has answered
 * its first request (or at once when something asks for them), one after another, so a fresh
 * process answers its first shopper without waiting for, or sharing its thread with, any of them.
 * A chore that fails is logged and tried again after a growing pause; the ones after it wait
 * for it. What depends on the chores (the platform) asks `whenDone()`.
 */
import { UnavailableError } from "./errors.ts";
import { errorFields, type Logger } from "./log.ts";

export interface Chore {
  /** What it does, in the log: "bootstrap", "demo seed". */
  name: string;
  run(): Promise<void>;
}

export interface ChoreOptions {
  /** The first pause after a failure; each next one is twice as long, up to `maxRetryMs`. */
  firstRetryMs?: number;
  maxRetryMs?: number;
}

export class StartupChores {
  #done: Promise<void>;
  #failing: { chore: string; error: unknown } | null = null;
  #settle!: () => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #wake: (() => void) | null = null;
  #stopped = false;
  #started = false;

  constructor(
    private readonly chores: Chore[],
    private readonly log: Logger,
    private readonly options: ChoreOptions = {},
  ) {
    this.#done = new Promise((resolve) => this.#settle = resolve);
  }

  /** Starts the chores in the background (once; later calls do nothing); returns at once. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    void this.#runAll();
  }

  /**
   * Resolves when every chore has run. While one is failing it rejects at once (a request
   * should get a clear "try again" rather than hang) with a 503 that says which.
   */
  whenDone(): Promise<void> {
    this.start();
    if (this.#failing) {
      const { chore } = this.#failing;
      return Promise.reject(
        new UnavailableError(
          `Switchyard is still starting: "${chore}" failed and is being retried`,
          "starting",
          5,
        ),
      );
    }
    return this.#done;
  }

  /** Stops retrying (at shutdown); a chore already running finishes. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#wake?.();
  }

  /**
   * Runs every chore once, now, and throws the first failure: for a first start, which has no
   * shoppers to serve meanwhile and should rather stop, saying why, than wait on a retry.
   */
  async runOnce(): Promise<void> {
    this.#started = true;
    for (const chore of this.chores) await chore.run();
    this.#settle();
  }

  /** Resolves once every chore has run, however many tries that takes (or they are stopped). */
  whenSettled(): Promise<void> {
    return this.#done;
  }

  async #runAll(): Promise<void> {
    for (const chore of this.chores) {
      if (!await this.#runUntilDone(chore)) break;
    }
    this.#settle();
  }

  /** Runs `chore` until it succeeds (true) or the chores are stopped (false). */
  async #runUntilDone(chore: Chore): Promise<boolean> {
    let pause = this.options.firstRetryMs ?? 1_000;
    while (!this.#stopped) {
      try {
        await chore.run();
        this.#failing = null;
        return true;
      } catch (error) {
        this.#failing = { chore: chore.name, error };
        if (this.#stopped) break;
        this.log.error("Start-up chore failed; retrying", {
          chore: chore.name,
          retry_in_ms: pause,
          ...errorFields(error),
        });
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        this.#timer = setTimeout(resolve, pause);
      });
      this.#wake = null;
      pause = Math.min(pause * 2, this.options.maxRetryMs ?? 60_000);
    }
    return false;
  }
}
