/**
 * Many keys at once, within KV's limits: cursor pagination over a key prefix, newest first (keys
 * end in ULIDs or increasing numbers; the cursor handed out is Deno KV's own list cursor, opaque
 * to clients), batched `getMany` reads, and batched deletes.
 */
import { ValidationError } from "../lib/errors.ts";

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

const MAX_PAGE = 100;

export async function listPage<T>(
  kv: Deno.Kv,
  prefix: Deno.KvKey,
  options: { limit?: number; cursor?: string | null; oldestFirst?: boolean } = {},
): Promise<Page<T>> {
  const limit = Math.min(options.limit ?? 50, MAX_PAGE);
  const iter = kv.list<T>({ prefix }, {
    limit,
    cursor: options.cursor || undefined,
    reverse: !options.oldestFirst,
  });
  const items: T[] = [];
  try {
    for await (const entry of iter) items.push(entry.value);
  } catch (error) {
    if (options.cursor) throw new ValidationError(`Invalid cursor: "${options.cursor}"`);
    throw error;
  }
  return { items, next_cursor: items.length === limit && iter.cursor ? iter.cursor : null };
}

/** Deno KV allows 10 keys per getMany. */
const KEYS_PER_GET_MANY = 10;

/**
 * Reads `keys` ten per `getMany` (Deno KV's limit), every batch at once, and answers their
 * entries in the order of `keys`.
 */
export async function getManyBatched<T>(
  kv: Deno.Kv,
  keys: Deno.KvKey[],
  options?: { consistency?: Deno.KvConsistencyLevel },
): Promise<Deno.KvEntryMaybe<T>[]> {
  const reads: Promise<Deno.KvEntryMaybe<T>[]>[] = [];
  for (let i = 0; i < keys.length; i += KEYS_PER_GET_MANY) {
    reads.push(kv.getMany<T[]>(keys.slice(i, i + KEYS_PER_GET_MANY), options));
  }
  return (await Promise.all(reads)).flat();
}

/** Runs `fn` over every entry under `prefix` (for deletes and scans; not for request paths). */
export async function* allKeys(kv: Deno.Kv, prefix: Deno.KvKey): AsyncGenerator<Deno.KvKey> {
  for await (const entry of kv.list({ prefix })) yield entry.key;
}

/** Deletes keys in commits that stay under KV's limit of 1,000 mutations a commit. */
export async function deleteAll(kv: Deno.Kv, keys: AsyncIterable<Deno.KvKey>): Promise<number> {
  let batch: Deno.KvKey[] = [];
  let count = 0;
  const flush = async () => {
    const op = kv.atomic();
    for (const key of batch) op.delete(key);
    await op.commit();
    count += batch.length;
    batch = [];
  };
  for await (const key of keys) {
    batch.push(key);
    if (batch.length === 500) await flush();
  }
  if (batch.length) await flush();
  return count;
}
