/**
 * Bounded concurrency. Hashing opens files and uploading opens connections; doing all of a
 * 20,000-file package at once would exhaust file descriptors and the server's patience, so
 * both run through a fixed number of workers.
 */

/**
 * Calls `work` for every item with at most `limit` calls in flight and returns the results
 * in input order. The first failure stops new work from starting and is rethrown once the
 * calls already in flight have settled, so no upload is left running behind the caller.
 */
export async function mapPool<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
  signal?: AbortSignal,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      if (signal?.aborted) {
        failure = { error: signal.reason };
        break;
      }
      const index = next++;
      try {
        results[index] = await work(items[index], index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const workers = Math.max(1, Math.min(limit, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  if (failure !== undefined) throw failure.error;
  return results;
}
