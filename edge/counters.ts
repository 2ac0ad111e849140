/**
 * In-memory aggregation of shopper events, flushed to KV every few seconds and at shutdown,
 * so a page view costs a Map update, not a KV write.
 */
import { type CounterDelta, flushCounters } from "../kv/counters.ts";

export class Counters {
  #pending = new Map<string, CounterDelta>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #flushing: Promise<void> = Promise.resolve();

  constructor(private kv: Deno.Kv, private intervalMs = 5000) {}

  add(appId: string, version: number, mode: string, name: string, amount = 1, now = Date.now()) {
    const day = new Date(now).toISOString().slice(0, 10);
    const key = `${appId}\u0000${version}\u0000${mode}\u0000${day}\u0000${name}`;
    const entry = this.#pending.get(key);
    if (entry) entry.amount += amount;
    else this.#pending.set(key, { appId, version, mode, day, name, amount });
    this.#timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  /** Writes what has been counted so far; concurrent calls queue behind each other. */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const deltas = [...this.#pending.values()];
    this.#pending.clear();
    this.#flushing = this.#flushing.then(() =>
      deltas.length ? flushCounters(this.kv, deltas) : undefined
    )
      .catch((error) =>
        console.error(
          JSON.stringify({ level: "error", msg: "counter flush failed", error: String(error) }),
        )
      );
    return this.#flushing;
  }
}
