/**
 * In-memory aggregation of shopper counts per app, version, mode and day, flushed to KV as
 * `sum` mutations every few seconds and at shutdown (`edge.close()`): a page view costs a field
 * increment, never a KV write (DESIGN "Data model").
 *
 * Who counts what, so nothing is counted twice:
 * - page views and visitors of document loads are counted by the edge itself when it answers
 *   a navigation with an HTML page (200 or 304) — every store gets them, script or not, and
 *   they go to the version that really served the page. A visitor is counted once a day per
 *   browser through the `sy_seen` cookie holding the day (no KV read per request).
 * - the beacon (`/analytics/pageview.js` → `POST /api/v1/events`) only reports client-side
 *   navigations of single-page apps (`history.pushState`, back/forward), which never reach the
 *   edge as requests; conversions and revenue a page reports come only from the beacon, and
 *   are kept as `reported_conversions` and `reported_revenue`, apart from the store's orders.
 *
 * A flush that fails keeps the batches it is not sure it wrote and retries them as they are,
 * ids and all, within the interval: a batch KV applied before its answer was lost finds its
 * marker and adds nothing (kv/counters.ts), so every count lands exactly once. While KV stays
 * down, new counts of the same counter merge in memory; what is held is capped, and what the
 * cap turns away is logged as lost, with the counts.
 */
import {
  type CounterBatch,
  counterBatches,
  type CounterDelta,
  flushCounters,
} from "../kv/counters.ts";
import { createLogger, errorFields, type Logger } from "../lib/log.ts";
import { SEEN_COOKIE, setCookie } from "./cookies.ts";

/** The counts of one app, version and mode for the current day. */
export interface Bucket {
  appId: string;
  version: number;
  mode: string;
  day: string;
  page_views: number;
  visitors: number;
}

interface CounterOptions {
  /** Hold flushes until `startTimers()` (see EdgeOptions.deferTimers). */
  deferTimers?: boolean;
  /** How long counts wait in memory before they are written (default 5 s). */
  intervalMs?: number;
  /**
   * Distinct counters (app, version, mode, day, name) held unwritten at most: while KV is down
   * they pile up, one a version and day. Default 10,000, a few MB.
   */
  maxPending?: number;
  /** Where failed writes and lost counts are reported; by default warnings and errors. */
  log?: Logger;
}

const DAY_MS = 86_400_000;

export class Counters {
  #pending = new Map<string, CounterDelta>();
  /** Batches a failed flush may or may not have written: retried as they are, ids and all. */
  #unsure: CounterBatch[] = [];
  /** Deltas held in `#unsure`, which count against the bound with the pending ones. */
  #unsureDeltas = 0;
  #buckets = new Map<string, Bucket>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #flushing: Promise<void> = Promise.resolve();
  #closed = false;
  /** Counts turned away since the last report, by counter name. */
  #lost = new Map<string, number>();
  #day = "";
  #dayEnds = 0;
  #seenCookie = "";
  #seenCookieSecure = "";
  #intervalMs: number;
  #timersOn: boolean;
  #maxPending: number;
  #log: Logger;

  constructor(private kv: Deno.Kv, options: CounterOptions = {}) {
    this.#intervalMs = options.intervalMs ?? 5000;
    this.#maxPending = options.maxPending ?? 10_000;
    this.#log = options.log ?? createLogger({ level: "warn" });
    this.#timersOn = !options.deferTimers;
  }

  /** Today (UTC, `YYYY-MM-DD`), recomputed only when the day turns. */
  today(now: number): string {
    if (now >= this.#dayEnds || now < this.#dayEnds - DAY_MS) {
      this.#day = new Date(now).toISOString().slice(0, 10);
      this.#dayEnds = Math.floor(now / DAY_MS) * DAY_MS + DAY_MS;
      const attributes = "Max-Age=86400; HttpOnly; SameSite=Lax";
      this.#seenCookie = setCookie(SEEN_COOKIE, this.#day, attributes, false);
      this.#seenCookieSecure = setCookie(SEEN_COOKIE, this.#day, attributes, true);
    }
    return this.#day;
  }

  /** `Set-Cookie` marking this browser as counted today (`__Host-` and Secure over HTTPS). */
  seenCookie(now: number, https: boolean): string {
    this.today(now);
    return https ? this.#seenCookieSecure : this.#seenCookie;
  }

  /** The bucket of an app, version and mode (the caller keeps it: one lookup per version). */
  bucket(appId: string, version: number, mode: string): Bucket {
    const key = `${appId}\u0000${version}\u0000${mode}`;
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = { appId, version, mode, day: "", page_views: 0, visitors: 0 };
      this.#buckets.set(key, bucket);
    }
    return bucket;
  }

  /** Counts a page view (and a visitor, when the browser was not seen today) at `now`. */
  pageView(bucket: Bucket, visitor: boolean, now: number): void {
    const day = this.today(now);
    if (bucket.day !== day) this.#settle(bucket, day);
    bucket.page_views++;
    if (visitor) bucket.visitors++;
    this.#scheduleFlush();
  }

  /** Adds `amount` to the counter `name` of an app, version and mode, on the day of `now`. */
  add(appId: string, version: number, mode: string, name: string, amount: number, now: number) {
    this.#addDelta({ appId, version, mode, day: this.today(now), name, amount });
    this.#scheduleFlush();
  }

  /** Lets flushes be scheduled, and schedules one for what was counted meanwhile. */
  startTimers(): void {
    if (this.#closed) return;
    this.#timersOn = true;
    if (this.#pending.size || this.#buckets.size || this.#unsure.length) this.#scheduleFlush();
  }

  #scheduleFlush(): void {
    if (this.#timersOn) this.#timer ??= setTimeout(() => this.flush(), this.#intervalMs);
  }

  /** Writes what has been counted so far; concurrent calls queue behind each other. */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#flushing = this.#flushing.then(() => this.#write());
    return this.#flushing;
  }

  /** Writes what is counted and stops; what a failed last write keeps is logged as lost. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.flush();
    for (const delta of this.#pending.values()) this.#lose(delta);
    for (const batch of this.#unsure) batch.deltas.forEach((delta) => this.#lose(delta));
    this.#pending.clear();
    this.#unsure = [];
    this.#unsureDeltas = 0;
    this.#reportLost("the last flush, at close, failed");
  }

  async #write(): Promise<void> {
    for (const bucket of this.#buckets.values()) this.#settle(bucket, bucket.day);
    // Unsure batches go first, as they were; counts made while the write is under way start a
    // fresh pending map.
    const batches = [...this.#unsure, ...counterBatches([...this.#pending.values()])];
    this.#pending.clear();
    this.#unsure = [];
    this.#unsureDeltas = 0;
    const unwritten = batches.length ? await flushCounters(this.kv, batches) : null;
    if (unwritten !== null) {
      this.#keepUnsure(unwritten.batches);
      this.#log.error("counter flush failed", {
        ...errorFields(unwritten.error),
        kept: this.#unsureDeltas,
      });
      if (!this.#closed) this.#scheduleFlush();
    }
    this.#reportLost(`more than ${this.#maxPending} counters were held unwritten`);
  }

  /** Keeps unsure batches for the next flush, within the bound; what passes it is lost. */
  #keepUnsure(batches: CounterBatch[]): void {
    for (const batch of batches) {
      if (this.#pending.size + this.#unsureDeltas + batch.deltas.length <= this.#maxPending) {
        this.#unsure.push(batch);
        this.#unsureDeltas += batch.deltas.length;
      } else {
        batch.deltas.forEach((delta) => this.#lose(delta));
      }
    }
  }

  /** Moves a bucket's counts into the pending deltas and starts it on `day`. */
  #settle(bucket: Bucket, day: string): void {
    const { appId, version, mode } = bucket;
    for (const name of ["page_views", "visitors"] as const) {
      if (bucket[name]) {
        this.#addDelta({ appId, version, mode, day: bucket.day, name, amount: bucket[name] });
      }
      bucket[name] = 0;
    }
    bucket.day = day;
  }

  #addDelta(delta: CounterDelta): void {
    const key = `${delta.appId}\u0000${delta.version}\u0000${delta.mode}\u0000${delta.day}\u0000` +
      delta.name;
    const entry = this.#pending.get(key);
    if (entry) entry.amount += delta.amount;
    else if (this.#pending.size + this.#unsureDeltas < this.#maxPending) {
      this.#pending.set(key, delta);
    } else this.#lose(delta);
  }

  #lose(delta: CounterDelta): void {
    this.#lost.set(delta.name, (this.#lost.get(delta.name) ?? 0) + delta.amount);
  }

  /** One line for everything lost since the last one: how much of each counter, and why. */
  #reportLost(reason: string): void {
    if (this.#lost.size === 0) return;
    this.#log.error("counts lost", { reason, lost: Object.fromEntries(this.#lost) });
    this.#lost.clear();
  }
}
