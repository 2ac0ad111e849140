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
 *   edge as requests; conversions and revenue come only from the beacon.
 */
import { type CounterDelta, flushCounters } from "../kv/counters.ts";
import { SEEN_COOKIE } from "./cookies.ts";

/** The counts of one app, version and mode for the current day. */
export interface Bucket {
  appId: string;
  version: number;
  mode: string;
  day: string;
  page_views: number;
  visitors: number;
}

const DAY_MS = 86_400_000;

export class Counters {
  #pending = new Map<string, CounterDelta>();
  #buckets = new Map<string, Bucket>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #flushing: Promise<void> = Promise.resolve();
  #day = "";
  #dayEnds = 0;
  #seenCookie = "";

  constructor(private kv: Deno.Kv, private intervalMs = 5000) {}

  /** Today (UTC, `YYYY-MM-DD`), recomputed only when the day turns. */
  today(now: number): string {
    if (now >= this.#dayEnds || now < this.#dayEnds - DAY_MS) {
      this.#day = new Date(now).toISOString().slice(0, 10);
      this.#dayEnds = Math.floor(now / DAY_MS) * DAY_MS + DAY_MS;
      this.#seenCookie =
        `${SEEN_COOKIE}=${this.#day}; Path=/; Max-Age=86400; HttpOnly; SameSite=Lax`;
    }
    return this.#day;
  }

  /** `Set-Cookie` marking this browser as counted today (without `; Secure`). */
  seenCookie(now: number): string {
    this.today(now);
    return this.#seenCookie;
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

  /** Counts a page view (and a visitor, when the browser was not seen today). */
  pageView(bucket: Bucket, visitor: boolean, now: number): void {
    const day = this.today(now);
    if (bucket.day !== day) this.#settle(bucket, day);
    bucket.page_views++;
    if (visitor) bucket.visitors++;
    this.#timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  add(appId: string, version: number, mode: string, name: string, amount = 1, now = Date.now()) {
    const day = new Date(now).toISOString().slice(0, 10);
    this.#addDelta({ appId, version, mode, day, name, amount });
    this.#timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  /** Writes what has been counted so far; concurrent calls queue behind each other. */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const bucket of this.#buckets.values()) this.#settle(bucket, bucket.day);
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
    else this.#pending.set(key, delta);
  }
}
