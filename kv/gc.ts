/**
 * Garbage collection. Failed or interrupted installs leave blobs and manifest pages that no
 * version names, and deleted versions and apps leave theirs: "garbage, not a bug" (DESIGN).
 *
 * A sweep marks every hash the versions of an account reference. An unreferenced blob is not
 * deleted at once: an archive install writes its blobs before its version exists. It becomes a
 * candidate, and a later sweep deletes it only if it is still unreferenced after `graceMs` —
 * longer than any install takes — so no install in flight can lose a blob. Manifest pages are
 * named by ULIDs, whose time says how old they are.
 */
import {
  accountAppsPrefix,
  accountsPrefix,
  blobChunksPrefix,
  blobMetaKey,
  blobsPrefix,
  gcCandidateKey,
  gcCandidatesPrefix,
  gcGenerationKey,
  gcLockKey,
  manifestsPrefix,
  versionsPrefix,
} from "./keys.ts";
import { readManifest } from "./manifests.ts";
import { idTime } from "./ids.ts";
import { deleteAll } from "./page.ts";
import type { App } from "./apps.ts";
import type { Version } from "./versions.ts";

/** Long enough for any upload the limits allow to finish and record its version. */
export const DEFAULT_GRACE_MS = 60 * 60_000;

export interface GcReport {
  candidates: number;
  blobs: number;
  chunks: number;
  manifestPages: number;
}

/** Every sha256 a manifest entry names (the file and any stored variants of it). */
function hashesOf(entry: unknown, out: Set<string>): void {
  if (typeof entry === "string" && /^[0-9a-f]{64}$/.test(entry)) out.add(entry);
  else if (entry && typeof entry === "object") {
    for (const value of Object.values(entry)) hashesOf(value, out);
  }
}

async function markAccount(kv: Deno.Kv, accountId: string) {
  const hashes = new Set<string>();
  const manifests = new Map<string, Set<string>>();
  for await (const appEntry of kv.list<App>({ prefix: accountAppsPrefix(accountId) })) {
    const app = appEntry.value;
    const ids = new Set<string>();
    for await (const entry of kv.list<Version>({ prefix: versionsPrefix(app.id) })) {
      ids.add(entry.value.manifest_id);
      for (const file of await readManifest(kv, app.id, entry.value)) hashesOf(file, hashes);
    }
    manifests.set(app.id, ids);
  }
  return { hashes, manifests };
}

/** Hashes the account stores (whole blobs, and chunks of blobs that never got a meta key). */
async function storedHashes(kv: Deno.Kv, accountId: string): Promise<Set<string>> {
  const stored = new Set<string>();
  for await (const entry of kv.list({ prefix: blobsPrefix(accountId) })) {
    stored.add(entry.key[2] as string);
  }
  for await (const entry of kv.list({ prefix: blobChunksPrefix(accountId) })) {
    stored.add(entry.key[2] as string);
  }
  return stored;
}

async function* blobKeys(kv: Deno.Kv, accountId: string, sha256: string, report: GcReport) {
  report.blobs++;
  yield blobMetaKey(accountId, sha256);
  for await (const chunk of kv.list({ prefix: blobChunksPrefix(accountId, sha256) })) {
    report.chunks++;
    yield chunk.key;
  }
  yield gcCandidateKey(accountId, sha256);
}

async function sweepBlobs(
  kv: Deno.Kv,
  accountId: string,
  referenced: Set<string>,
  times: { now: number; before: number },
  report: GcReport,
): Promise<void> {
  const candidates = new Map<string, number>();
  for await (const entry of kv.list<number>({ prefix: gcCandidatesPrefix(accountId) })) {
    candidates.set(entry.key[2] as string, entry.value);
  }
  for (const sha256 of await storedHashes(kv, accountId)) {
    if (referenced.has(sha256)) continue;
    const since = candidates.get(sha256);
    if (since === undefined) {
      await kv.set(gcCandidateKey(accountId, sha256), times.now);
      report.candidates++;
    } else if (since <= times.before) {
      await deleteAll(kv, blobKeys(kv, accountId, sha256, report));
    }
  }
  for (const sha256 of candidates.keys()) {
    if (referenced.has(sha256)) await kv.delete(gcCandidateKey(accountId, sha256));
  }
}

async function* orphanPages(
  kv: Deno.Kv,
  appId: string,
  referenced: Set<string>,
  before: number,
  report: GcReport,
): AsyncGenerator<Deno.KvKey> {
  for await (const entry of kv.list({ prefix: manifestsPrefix(appId) })) {
    const id = entry.key[2] as string;
    const made = idTime(id);
    if (referenced.has(id) || Number.isNaN(made) || made > before) continue;
    report.manifestPages++;
    yield entry.key;
  }
}

/**
 * Sweeps the given accounts; returns null when another sweep holds the platform-wide lock
 * (it expires, so a crashed sweeper does not block the next one).
 */
export async function collectGarbage(
  kv: Deno.Kv,
  accountIds: string[],
  options: { graceMs?: number; now?: number } = {},
): Promise<GcReport | null> {
  // The generation tells ready commits that a sweep started since they verified their blobs.
  const lock = await kv.atomic().check({ key: gcLockKey(), versionstamp: null })
    .set(gcLockKey(), Date.now(), { expireIn: 30 * 60_000 })
    .sum(gcGenerationKey(), 1n).commit();
  if (!lock.ok) return null;
  const report: GcReport = { candidates: 0, blobs: 0, chunks: 0, manifestPages: 0 };
  const now = options.now ?? Date.now();
  const before = now - (options.graceMs ?? DEFAULT_GRACE_MS);
  try {
    for (const accountId of accountIds) {
      const { hashes, manifests } = await markAccount(kv, accountId);
      for (const [appId, ids] of manifests) {
        await deleteAll(kv, orphanPages(kv, appId, ids, before, report));
      }
      await sweepBlobs(kv, accountId, hashes, { now, before }, report);
    }
  } finally {
    await kv.delete(gcLockKey());
  }
  return report;
}

/** Sweeps every account on the platform (what the periodic job in main.ts runs). */
export async function collectAllGarbage(kv: Deno.Kv): Promise<GcReport | null> {
  const ids: string[] = [];
  for await (const entry of kv.list({ prefix: accountsPrefix() })) ids.push(entry.key[1] as string);
  return await collectGarbage(kv, ids);
}
