/**
 * Reads for the stats of an app: its counters over a range of days, its releases and its live
 * record, put together by `stats_report.ts`. Only aggregated counters are read (DESIGN "Commerce
 * and stats"): the cost grows with versions × days × counter names, never with orders.
 */
import { countersPrefix, releasesPrefix } from "./keys.ts";
import type { CounterRow } from "./counters.ts";
import type { App } from "./apps.ts";
import { getAccount } from "./accounts.ts";
import { defaultCurrency } from "./currencies.ts";
import { getLive, type Release } from "./live.ts";
import { activeTarget } from "./live_record.ts";
import { buildReport, type StatsReport } from "./stats_report.ts";

export interface StatsQuery {
  /** First and last day, `YYYY-MM-DD` (UTC), both included. */
  from: string;
  to: string;
  mode: "live" | "test";
  now: number;
}

/** The day after `day` (`YYYY-MM-DD`): the exclusive end of a range that includes `day`. */
export function dayAfter(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** Entries a list fetches a round trip (Deno KV's default is 100; 500 is its maximum). */
const LIST_BATCH = 500;

/**
 * The counters of one mode between two days, every version. Counter keys run
 * `[counter, app, version, mode, day, name]`, so each version's days are one ranged list; the
 * next version that has any counter is found with a one-key list from just past the last, so
 * versions that never counted anything cost nothing. Each version's range is read while the
 * next version is looked for: on a remote KV the round trips overlap.
 */
async function readCounterRange(
  kv: Deno.Kv,
  appId: string,
  range: { from: string; to: string; mode: string },
): Promise<CounterRow[]> {
  const prefix = countersPrefix(appId);
  const reads: Promise<CounterRow[]>[] = [];
  let start: Deno.KvKey = prefix;
  for (;;) {
    const next = await firstKey(kv, prefix, start);
    if (next === null) break;
    const version = next[2] as number;
    reads.push(readVersionRange(kv, [...prefix, version, range.mode], range));
    start = [...prefix, version + 1];
  }
  return (await Promise.all(reads)).flat();
}

async function readVersionRange(
  kv: Deno.Kv,
  base: Deno.KvKey,
  range: { from: string; to: string },
): Promise<CounterRow[]> {
  const rows: CounterRow[] = [];
  const entries = kv.list<Deno.KvU64>({
    start: [...base, range.from],
    end: [...base, dayAfter(range.to)],
  }, { batchSize: LIST_BATCH });
  for await (const entry of entries) {
    const [, , version, mode, day, name] = entry.key as [
      string,
      string,
      number,
      string,
      string,
      string,
    ];
    rows.push({ version, mode, day, name, value: Number(entry.value.value) });
  }
  return rows;
}

async function firstKey(kv: Deno.Kv, prefix: Deno.KvKey, start: Deno.KvKey) {
  // `start` equal to the prefix itself is not a valid selector: list the prefix from its head.
  const selector = start.length === prefix.length ? { prefix } : { prefix, start };
  for await (const entry of kv.list(selector, { limit: 1 })) return entry.key;
  return null;
}

/** Releases read for a report: enough for years of ordinary releasing, within one page read. */
const MAX_RELEASES = 500;

/** The most recent releases of an app, newest first. */
async function recentReleases(kv: Deno.Kv, appId: string): Promise<Release[]> {
  const releases: Release[] = [];
  const list = kv.list<Release>({ prefix: releasesPrefix(appId) }, {
    reverse: true,
    limit: MAX_RELEASES,
  });
  for await (const entry of list) releases.push(entry.value);
  return releases;
}

/**
 * Per version per day visitors, page views, carts, orders, revenue and conversion in `mode`
 * between two days; under a split (live mode), each arm with its interval and a verdict; and the
 * releases that took effect in the range, so a chart can mark them on the same time axis.
 */
export async function readStats(kv: Deno.Kv, app: App, query: StatsQuery): Promise<StatsReport> {
  const [rows, releases, live, account] = await Promise.all([
    readCounterRange(kv, app.id, query),
    recentReleases(kv, app.id),
    getLive(kv, app.id, "eventual"),
    getAccount(kv, app.account_id),
  ]);
  return buildReport({
    ...query,
    // Revenue is counted in the account's default currency, as the shopper API counts it.
    currency: defaultCurrency(account),
    rows,
    releases,
    current: activeTarget(live.value, query.now),
  });
}
