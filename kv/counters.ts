/**
 * Aggregated counters (page views, visitors, conversions…) per app, version, mode and day.
 * The edge adds up in memory and flushes here in batches of `sum` mutations — never a KV write
 * per shopper request (DESIGN "Data model").
 */
import { counterKey, countersPrefix } from "./keys.ts";

export interface CounterDelta {
  appId: string;
  version: number;
  mode: string;
  day: string;
  name: string;
  amount: number;
}

/** Deno KV allows 1,000 mutations a commit; stay well below. */
const BATCH = 500;

/** Deltas a flush could not write, and why. */
export interface UnwrittenCounters {
  deltas: CounterDelta[];
  error: unknown;
}

/**
 * Adds `deltas` to their counters, 500 `sum` mutations a commit, one commit after another.
 * Answers the deltas not written — those of the commit that failed and of every commit after
 * it — with the error; null when every one was written. The commits before a failure stand, so
 * a caller that adds the unwritten deltas again later counts each exactly once (sums commute).
 */
export async function flushCounters(
  kv: Deno.Kv,
  deltas: CounterDelta[],
): Promise<UnwrittenCounters | null> {
  for (let i = 0; i < deltas.length; i += BATCH) {
    try {
      const op = kv.atomic();
      for (const d of deltas.slice(i, i + BATCH)) {
        op.sum(counterKey(d.appId, d.version, d.mode, d.day, d.name), BigInt(Math.round(d.amount)));
      }
      // A commit of sums alone has no check to fail: not ok would be KV refusing it.
      if (!(await op.commit()).ok) throw new Error("KV refused a commit of counter sums");
    } catch (error) {
      return { deltas: deltas.slice(i), error };
    }
  }
  return null;
}

export interface CounterRow {
  version: number;
  mode: string;
  day: string;
  name: string;
  value: number;
}

/** Every counter of an app (for stats); days are `YYYY-MM-DD` strings, filtered by the caller. */
export async function readCounters(kv: Deno.Kv, appId: string): Promise<CounterRow[]> {
  const rows: CounterRow[] = [];
  for await (const entry of kv.list<Deno.KvU64>({ prefix: countersPrefix(appId) })) {
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
