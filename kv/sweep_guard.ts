/**
 * Making a version ready must not race a garbage sweep. A sweep first marks what versions
 * reference, then deletes what is unreferenced; a version that starts using an old unreferenced
 * blob in between (an upload finds it already stored and skips it) would lose it. So a sweep
 * holds a lock and bumps a generation counter for its whole run, and a commit that makes a
 * version ready checks both: no sweep is running, and none started since the version's blobs
 * were verified present. A sweep that starts after the commit sees the version when it marks.
 */
import { UnavailableError } from "../lib/errors.ts";
import { gcGenerationKey, gcLockKey } from "./keys.ts";

export interface SweepGuard {
  lock: Deno.KvEntryMaybe<unknown>;
  generation: Deno.KvEntryMaybe<unknown>;
}

/** How long an install waits for a running sweep before asking the client to retry. */
const WAIT_MS = 30_000;

/** The guard to check in a ready commit, once no sweep is running. */
export async function sweepGuard(kv: Deno.Kv): Promise<SweepGuard> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const [lock, generation] = await kv.getMany([gcLockKey(), gcGenerationKey()]);
    if (lock.versionstamp === null) return { lock, generation };
    if (Date.now() > deadline) {
      throw new UnavailableError(
        "Storage is being cleaned up right now; try again in a minute",
        "storage_maintenance",
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export function checkGuard(op: Deno.AtomicOperation, guard: SweepGuard): Deno.AtomicOperation {
  return op.check(guard.lock).check(guard.generation);
}
