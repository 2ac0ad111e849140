/**
 * Garbage collection. Failed or interrupted installs leave blobs and manifest pages that no
 * version names, and deleted versions and apps leave theirs: "garbage, not a bug" (DESIGN).
 *
 * A sweep marks every hash the versions of an account reference. An unreferenced blob is not
 * deleted at once: an archive install writes its blobs before its version exists. It becomes a
 * candidate, and a later sweep deletes it only if it is still unreferenced after `graceMs` —
 * longer than any install takes — so no install in flight can lose a blob. What is stored and
 * referenced is read, and deleted, by kv/garbage.ts.
 */
import {
  deleteBlob,
  deleteOrphanPages,
  gcCandidates,
  type GcReport,
  listAccountIds,
  lockSweep,
  markCandidate,
  referencedBy,
  storedHashes,
  unlockSweep,
  unmarkCandidate,
} from "../kv/garbage.ts";

/** Long enough for any upload the limits allow to finish and record its version. */
const DEFAULT_GRACE_MS = 60 * 60_000;

async function sweepBlobs(
  kv: Deno.Kv,
  accountId: string,
  referenced: Set<string>,
  times: { now: number; before: number },
  report: GcReport,
): Promise<void> {
  const candidates = await gcCandidates(kv, accountId);
  for (const sha256 of await storedHashes(kv, accountId)) {
    if (referenced.has(sha256)) continue;
    const since = candidates.get(sha256);
    if (since === undefined) {
      await markCandidate(kv, accountId, sha256, times.now);
      report.candidates++;
    } else if (since <= times.before) {
      await deleteBlob(kv, accountId, sha256, report);
    }
  }
  for (const sha256 of candidates.keys()) {
    if (referenced.has(sha256)) await unmarkCandidate(kv, accountId, sha256);
  }
}

/**
 * Sweeps the given accounts; returns null when another sweep holds the platform-wide lock.
 */
export async function collectGarbage(
  kv: Deno.Kv,
  accountIds: string[],
  options: { graceMs?: number; now?: number } = {},
): Promise<GcReport | null> {
  const now = options.now ?? Date.now();
  if (!await lockSweep(kv, now)) return null;
  const report: GcReport = { candidates: 0, blobs: 0, chunks: 0, manifestPages: 0 };
  const before = now - (options.graceMs ?? DEFAULT_GRACE_MS);
  try {
    for (const accountId of accountIds) {
      const { hashes, manifests } = await referencedBy(kv, accountId);
      for (const [appId, ids] of manifests) {
        await deleteOrphanPages(kv, appId, ids, before, report);
      }
      await sweepBlobs(kv, accountId, hashes, { now, before }, report);
    }
  } finally {
    await unlockSweep(kv);
  }
  return report;
}

/** Sweeps every account on the platform (what the periodic job in program.ts runs). */
export async function collectAllGarbage(kv: Deno.Kv): Promise<GcReport | null> {
  return await collectGarbage(kv, await listAccountIds(kv));
}
