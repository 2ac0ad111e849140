/**
 * A cache of `load(key)` that loads again, on request, once an entry is older than `maxAgeMs`.
 * For what previews and injected files read (test links, settings, accounts): those requests
 * may wait for KV now and then; a revoked link must stop working within the interval.
 */
interface Fresh<T> {
  value: Promise<T>;
  checkedAt: number;
}

/** Entries kept at most; past that the oldest go (each costs one KV read when it returns). */
const MAX_ENTRIES = 10_000;

export class Revalidating<T> {
  #entries = new Map<string, Fresh<T>>();

  constructor(private load: (key: string) => Promise<T>, private maxAgeMs: number) {}

  /** The value of `key`, loaded again when older than the interval at `now` (the request's). */
  get(key: string, now: number): Promise<T> {
    const entry = this.#entries.get(key);
    if (entry && now - entry.checkedAt < this.maxAgeMs) return entry.value;
    const value = this.load(key);
    this.#entries.delete(key);
    this.#entries.set(key, { value, checkedAt: now });
    if (this.#entries.size > MAX_ENTRIES) this.#entries.delete(this.#entries.keys().next().value!);
    value.catch(() => this.#entries.delete(key));
    return value;
  }

  drop(key: string): void {
    this.#entries.delete(key);
  }
}
