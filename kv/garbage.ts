/**
 * What a garbage sweep reads and deletes (the sweep itself, with its grace period, is
 * install/gc.ts): the hashes and manifest pages an account's versions name, the blobs it stores,
 * the candidates marked by earlier sweeps, and the platform-wide sweep lock. Manifest pages are
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
import { deleteAll } from "./page.ts";
import { idTime } from "./ids.ts";
import type { App } from "./apps.ts";
import type { Version } from "./versions.ts";

/** What a sweep removed (and marked), for its log line. */
export interface GcReport {
  candidates: number;
  blobs: number;
  chunks: number;
  manifestPages: number;
}

/** Every account on the platform. */
export async function listAccountIds(kv: Deno.Kv): Promise<string[]> {
  const ids: string[] = [];
  for await (const entry of kv.list({ prefix: accountsPrefix() })) ids.push(entry.key[1] as string);
  return ids;
}

/** Every sha256 a manifest entry names (the file and any stored variants of it). */
function hashesOf(entry: unknown, out: Set<string>): void {
  if (typeof entry === "string" && /^[0-9a-f]{64}$/.test(entry)) out.add(entry);
  else if (entry && typeof entry === "object") {
    for (const value of Object.values(entry)) hashesOf(value, out);
  }
}

/** The blob hashes the account's versions name, and the manifest ids each of its apps uses. */
export async function referencedBy(kv: Deno.Kv, accountId: string) {
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
export async function storedHashes(kv: Deno.Kv, accountId: string): Promise<Set<string>> {
  const stored = new Set<string>();
  for await (const entry of kv.list({ prefix: blobsPrefix(accountId) })) {
    stored.add(entry.key[2] as string);
  }
  for await (const entry of kv.list({ prefix: blobChunksPrefix(accountId) })) {
    stored.add(entry.key[2] as string);
  }
  return stored;
}

/** Blobs an earlier sweep found unreferenced, with the time it did. */
export async function gcCandidates(kv: Deno.Kv, accountId: string): Promise<Map<string, number>> {
  const candidates = new Map<string, number>();
  for await (const entry of kv.list<number>({ prefix: gcCandidatesPrefix(accountId) })) {
    candidates.set(entry.key[2] as string, entry.value);
  }
  return candidates;
}

export async function markCandidate(kv: Deno.Kv, accountId: string, sha256: string, now: number) {
  await kv.set(gcCandidateKey(accountId, sha256), now);
}

export async function unmarkCandidate(kv: Deno.Kv, accountId: string, sha256: string) {
  await kv.delete(gcCandidateKey(accountId, sha256));
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

/** Deletes a blob, its chunks and its candidate mark, counting them in `report`. */
export async function deleteBlob(
  kv: Deno.Kv,
  accountId: string,
  sha256: string,
  report: GcReport,
): Promise<void> {
  await deleteAll(kv, blobKeys(kv, accountId, sha256, report));
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

/** Deletes the app's manifest pages that no version names and that were made before `before`. */
export async function deleteOrphanPages(
  kv: Deno.Kv,
  appId: string,
  referenced: Set<string>,
  before: number,
  report: GcReport,
): Promise<void> {
  await deleteAll(kv, orphanPages(kv, appId, referenced, before, report));
}

/**
 * Takes the platform-wide sweep lock (it expires, so a crashed sweeper does not block the next
 * one) and bumps the generation that tells ready commits a sweep started since they verified
 * their blobs (kv/sweep_guard.ts). False when another sweep holds it.
 */
export async function lockSweep(kv: Deno.Kv, now: number): Promise<boolean> {
  const lock = await kv.atomic().check({ key: gcLockKey(), versionstamp: null })
    .set(gcLockKey(), now, { expireIn: 30 * 60_000 })
    .sum(gcGenerationKey(), 1n).commit();
  return lock.ok;
}

export async function unlockSweep(kv: Deno.Kv): Promise<void> {
  await kv.delete(gcLockKey());
}
