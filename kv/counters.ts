/**
 * Aggregated counters (page views, visitors, conversions…) per app, version, mode and day.
 * The edge adds up in memory and flushes here in batches of `sum` mutations — never a KV write
 * per shopper request (DESIGN "Data model").
 */
import { counterFlushKey, counterKey, countersPrefix } from "./keys.ts";
import { newId } from "./ids.ts";

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
/** How long a batch's marker is kept: far longer than any retry of it can come. */
const MARKER_MS = 86_400_000;

/** Deltas written in one commit, under an id that stays with them through every retry. */
export interface CounterBatch {
  id: string;
  deltas: CounterDelta[];
}

/** `deltas` in batches of at most 500, each with a new id. */
export function counterBatches(deltas: CounterDelta[]): CounterBatch[] {
  const batches: CounterBatch[] = [];
  for (let i = 0; i < deltas.length; i += BATCH) {
    batches.push({ id: newId(), deltas: deltas.slice(i, i + BATCH) });
  }
  return batches;
}

/** Batches a flush could not be sure it wrote, and why. */
export interface UnwrittenCounters {
  batches: CounterBatch[];
  error: unknown;
}

/**
 * Adds each batch's deltas to their counters, one commit a batch, one after another. Each commit
 * also sets the batch's marker, checked absent: a commit whose answer was lost (a network error
 * after KV applied it) is retried with the same batch and id, finds its marker, and adds
 * nothing. Answers the batches not known written — the one that failed and every one after it —
 * with the error; null when all were written. So each delta is counted exactly once, whatever
 * the retries.
 */
export async function flushCounters(
  kv: Deno.Kv,
  batches: CounterBatch[],
): Promise<UnwrittenCounters | null> {
  for (let i = 0; i < batches.length; i++) {
    const { id, deltas } = batches[i];
    try {
      const marker = counterFlushKey(id);
      const op = kv.atomic().check({ key: marker, versionstamp: null })
        .set(marker, true, { expireIn: MARKER_MS });
      for (const d of deltas) {
        op.sum(counterKey(d.appId, d.version, d.mode, d.day, d.name), BigInt(Math.round(d.amount)));
      }
      // Not ok: the marker is there, so an earlier try of this batch was written.
      await op.commit();
    } catch (error) {
      return { batches: batches.slice(i), error };
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
