/**
 * Counters for the stats page's benchmark: every version of an app counted on every day of the
 * range, the worst case a page of 90 days can read (a real app's old versions stop counting).
 */
import type { App } from "../kv/apps.ts";
import { counterBatches, type CounterDelta, flushCounters } from "../kv/counters.ts";
import { readStats } from "../kv/stats.ts";
import { median } from "./report.ts";

export const STATS_DAYS = 90;

/**
 * `everyDay`: every version counts on every day (the worst case). Otherwise each day only the
 * three versions released around it count (live, the one before it, a test link's), as when
 * 50 versions were released over the 90 days.
 */
export async function seedStatsCounters(
  kv: Deno.Kv,
  appId: string,
  versions: number,
  everyDay: boolean,
  now = Date.now(),
): Promise<void> {
  const deltas: CounterDelta[] = [];
  for (let version = 1; version <= versions; version++) {
    for (let d = 0; d < STATS_DAYS; d++) {
      const current = Math.ceil(((STATS_DAYS - d) / STATS_DAYS) * versions);
      if (!everyDay && Math.abs(version - current) > 1) continue;
      const day = new Date(now - d * 86_400_000).toISOString().slice(0, 10);
      const visitors = 100 + ((version * 7 + d * 13) % 50);
      const orders = 1 + ((version + d) % 5);
      const counts = { visitors, page_views: visitors * 3, carts: orders * 3, orders };
      for (const [name, amount] of Object.entries({ ...counts, revenue: orders * 2599 })) {
        deltas.push({ appId, version, mode: "live", day, name, amount });
      }
    }
  }
  const unwritten = await flushCounters(kv, counterBatches(deltas));
  if (unwritten) throw new Error("The stats counters could not be written");
}

/**
 * The median time of `readStats` alone over the benchmark's range: the page's answer is this
 * read (the API's own, kv/stats.ts) plus the render, so the two can be told apart.
 */
export async function statsReadMs(kv: Deno.Kv, app: App, rounds: number): Promise<number> {
  const now = Date.now();
  const to = new Date(now).toISOString().slice(0, 10);
  const from = new Date(now - (STATS_DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    await readStats(kv, app, { from, to, mode: "live", now });
    times.push(performance.now() - started);
  }
  return median(times);
}
