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

export async function flushCounters(kv: Deno.Kv, deltas: CounterDelta[]): Promise<void> {
  for (let i = 0; i < deltas.length; i += BATCH) {
    const op = kv.atomic();
    for (const d of deltas.slice(i, i + BATCH)) {
      op.sum(counterKey(d.appId, d.version, d.mode, d.day, d.name), BigInt(Math.round(d.amount)));
    }
    await op.commit();
  }
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
