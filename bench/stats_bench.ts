/**
 * The stats answer over a busy app: 40 versions, each with a year of counters in both modes
 * (40 × 366 × 2 × 5 ≈ 146,000 counter keys). It reads counters only, one ranged list per version
 * that has any, so its cost follows versions × days asked, never orders. Goals: a 30-day answer
 * ≤ 50 ms, a 366-day answer ≤ 500 ms (in-memory KV, 2 cores).
 */
import { counterBatches, flushCounters } from "../kv/counters.ts";
import { createApp } from "../kv/apps.ts";
import { createAccount } from "../kv/accounts.ts";
import { readStats } from "../kv/stats.ts";
import { median, type Section } from "./report.ts";

const VERSIONS = 40;
const DAYS = 366;
const NAMES = ["visitors", "page_views", "carts", "orders", "revenue"];
const RUNS = 15;
const DAY_MS = 86_400_000;

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

export async function statsBench(): Promise<Section> {
  const kv = await Deno.openKv(":memory:");
  try {
    // An app is made in an account that exists (kv/apps.ts checks it in the create's commit).
    const account = await createAccount(kv, "Bench");
    const app = await createApp(kv, account.id, { slug: "bench", name: "Bench" }, "localhost");
    const now = Date.now();
    const deltas = [];
    for (let version = 1; version <= VERSIONS; version++) {
      for (let d = 0; d < DAYS; d++) {
        for (const mode of ["live", "test"]) {
          for (const name of NAMES) {
            deltas.push({
              appId: app.id,
              version,
              mode,
              day: dayOf(now - d * DAY_MS),
              name,
              amount: 7,
            });
          }
        }
      }
    }
    await flushCounters(kv, counterBatches(deltas));
    const query = (days: number) => () =>
      readStats(kv, app, {
        from: dayOf(now - (days - 1) * DAY_MS),
        to: dayOf(now),
        mode: "live",
        now,
      });
    const month = await timed(query(30));
    const year = await timed(query(DAYS));
    return {
      title: "Stats",
      method: `readStats() over ${deltas.length.toLocaleString("en")} counter keys ` +
        `(${VERSIONS} versions × ${DAYS} days × 2 modes × ${NAMES.length} names) in an in-memory ` +
        `KV; median of ${RUNS} runs.`,
      rows: [
        {
          what: "stats, 30 days × 40 versions",
          result: `${month.toFixed(1)} ms`,
          goal: "≤ 50 ms",
          met: month <= 50,
        },
        {
          what: "stats, 366 days × 40 versions",
          result: `${year.toFixed(1)} ms`,
          goal: "≤ 500 ms",
          met: year <= 500,
        },
      ],
    };
  } finally {
    kv.close();
  }
}

if (import.meta.main) console.log(await statsBench());
