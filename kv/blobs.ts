/**
 * Content-addressed blobs, scoped per account, stored as chunks under Deno KV's 64 KiB value
 * cap. Writes are batched into commits under KV's 800 KiB / 1,000-mutation limits; a blob's
 * meta key lands in (or after) the commit of its last chunk, so "meta present" means "whole".
 *
 * A text blob's meta also records its precompressed variants (brotli, gzip: blobs of their own),
 * so a later install of the same file reuses them instead of compressing again. The record is a
 * hint: it is trusted only after the variant blobs are seen present (garbage collection may
 * have removed them since).
 */
import { blobChunkKey, blobMetaKey } from "./keys.ts";
import { release } from "../lib/release.ts";
import { getManyBatched } from "./page.ts";

/** Deno KV caps a value at 64 KiB; keep chunks below it with room for the key. */
export const CHUNK_BYTES = 60 * 1024;
/** Deno KV caps a commit at 800 KiB; stay well below it. */
const COMMIT_BYTES = 700 * 1024;

/** A stored precompressed variant of a blob. */
export interface BlobVariant {
  sha256: string;
  size: number;
}

/** The variants of a blob; an empty object means "tried, none was worth keeping". */
export interface BlobVariants {
  br?: BlobVariant;
  gzip?: BlobVariant;
}

export interface BlobMeta {
  size: number;
  chunks: number;
  variants?: BlobVariants;
}

async function metaEntries(
  kv: Deno.Kv,
  accountId: string,
  hashes: Iterable<string>,
): Promise<Deno.KvEntryMaybe<BlobMeta>[]> {
  const keys = [...new Set(hashes)].map((hash) => blobMetaKey(accountId, hash));
  return await getManyBatched<BlobMeta>(kv, keys);
}

/** Which of `hashes` the account already holds in full. */
export async function presentBlobs(
  kv: Deno.Kv,
  accountId: string,
  hashes: Iterable<string>,
): Promise<Set<string>> {
  const present = new Set<string>();
  for (const entry of await metaEntries(kv, accountId, hashes)) {
    if (entry.value) present.add(entry.key[2] as string);
  }
  return present;
}

/** The stored size of each of `hashes` the account holds in full. */
export async function blobSizes(
  kv: Deno.Kv,
  accountId: string,
  hashes: Iterable<string>,
): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  for (const entry of await metaEntries(kv, accountId, hashes)) {
    if (entry.value) sizes.set(entry.key[2] as string, entry.value.size);
  }
  return sizes;
}

/**
 * The metas of the blobs of `hashes` the account holds, with `variants` kept only where every
 * variant blob it names is present too.
 */
export async function blobMetas(
  kv: Deno.Kv,
  accountId: string,
  hashes: Iterable<string>,
): Promise<Map<string, BlobMeta>> {
  const metas = new Map<string, BlobMeta>();
  const named: string[] = [];
  for (const entry of await metaEntries(kv, accountId, hashes)) {
    if (!entry.value) continue;
    metas.set(entry.key[2] as string, entry.value);
    for (const variant of variantList(entry.value.variants)) named.push(variant.sha256);
  }
  const present = named.length ? await presentBlobs(kv, accountId, named) : new Set<string>();
  for (const [sha256, meta] of metas) {
    if (variantList(meta.variants).some((variant) => !present.has(variant.sha256))) {
      metas.set(sha256, { size: meta.size, chunks: meta.chunks });
    }
  }
  return metas;
}

function variantList(variants: BlobVariants | undefined): BlobVariant[] {
  if (!variants) return [];
  return [variants.br, variants.gzip].filter((variant) => variant !== undefined);
}

/** Deno KV allows 10 checks per atomic operation. */
const CHECKS_PER_COMMIT = 10;

/**
 * Records the variants of blobs stored before their variants were known (the manifest flow's
 * uploads). Each meta is updated only if unchanged since read, so a blob collected meanwhile is
 * not resurrected as a meta without chunks. Call after the variant blobs are written.
 */
export async function recordVariants(
  kv: Deno.Kv,
  accountId: string,
  variants: Map<string, BlobVariants>,
): Promise<void> {
  const entries = (await metaEntries(kv, accountId, variants.keys()))
    .filter((entry) => entry.value && !entry.value.variants);
  const commits: Promise<unknown>[] = [];
  for (let i = 0; i < entries.length; i += CHECKS_PER_COMMIT) {
    const op = kv.atomic();
    for (const entry of entries.slice(i, i + CHECKS_PER_COMMIT)) {
      const meta: BlobMeta = { ...entry.value!, variants: variants.get(entry.key[2] as string) };
      op.check(entry).set(entry.key, meta);
    }
    // A lost check only means the blob changed (or went) meanwhile: the record is a hint.
    commits.push(op.commit());
  }
  await Promise.all(commits);
}

/**
 * Buffers blobs and writes the ones the account lacks in few large commits, in the background:
 * `add` returns at once unless two batches already wait for KV (so an install keeps reading and
 * compressing while KV writes). Call `flush` before relying on what was added; it reports any
 * failed write.
 */
export class BlobWriter {
  newBlobs = 0;
  newBytes = 0;
  #pending = new Map<string, { bytes: Uint8Array; variants?: BlobVariants }>();
  #pendingBytes = 0;
  #known = new Set<string>();
  #writing: Promise<void> = Promise.resolve();
  #queued = 0;
  #error: unknown = null;

  constructor(private kv: Deno.Kv, private accountId: string) {}

  /** Queues a blob; `variants` are recorded in its meta when this writer stores it. */
  async add(sha256: string, bytes: Uint8Array, variants?: BlobVariants): Promise<void> {
    if (this.#error !== null) throw this.#error;
    if (this.#known.has(sha256) || this.#pending.has(sha256)) return;
    this.#pending.set(sha256, { bytes, variants });
    this.#pendingBytes += bytes.byteLength;
    if (this.#pendingBytes >= 4 * COMMIT_BYTES || this.#pending.size >= 200) {
      this.#startBatch();
      if (this.#queued >= 2) await this.#writing;
    }
  }

  /** Writes everything added so far; throws if any write failed. */
  async flush(): Promise<void> {
    this.#startBatch();
    await this.#writing;
    if (this.#error !== null) throw this.#error;
  }

  /** Resolves once every write started so far has ended (failed ones included). */
  settled(): Promise<void> {
    return this.#writing;
  }

  #startBatch(): void {
    if (this.#pending.size === 0) return;
    const batch = this.#pending;
    for (const sha256 of batch.keys()) this.#known.add(sha256);
    this.#pending = new Map();
    this.#pendingBytes = 0;
    this.#queued++;
    this.#writing = this.#writing
      .then(() => this.#error === null ? this.#write(batch) : undefined)
      .catch((error) => {
        this.#error ??= error;
      })
      .finally(() => this.#queued--);
  }

  async #write(batch: Map<string, { bytes: Uint8Array; variants?: BlobVariants }>) {
    const present = await presentBlobs(this.kv, this.accountId, batch.keys());
    let op = this.kv.atomic();
    let opBytes = 0;
    let opCount = 0;
    const commit = async () => {
      if (opCount === 0) return;
      const result = await op.commit();
      if (!result.ok) throw new Error("Blob commit failed");
      op = this.kv.atomic();
      opBytes = 0;
      opCount = 0;
    };
    for (const [sha256, { bytes, variants }] of batch) {
      if (present.has(sha256)) continue;
      const chunks = Math.max(1, Math.ceil(bytes.byteLength / CHUNK_BYTES));
      for (let i = 0; i < chunks; i++) {
        const chunk = bytes.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES);
        if (opBytes + chunk.byteLength > COMMIT_BYTES || opCount >= 900) await commit();
        op.set(blobChunkKey(this.accountId, sha256, i), chunk);
        opBytes += chunk.byteLength + 200;
        opCount++;
      }
      const meta: BlobMeta = variants
        ? { size: bytes.byteLength, chunks, variants }
        : { size: bytes.byteLength, chunks };
      op.set(blobMetaKey(this.accountId, sha256), meta);
      opBytes += 200;
      opCount++;
      this.newBlobs++;
      this.newBytes += bytes.byteLength;
    }
    await commit();
  }
}

/**
 * Stores one verified blob for an upload, sharing KV commits with the other uploads of the
 * account that arrive meanwhile (group commit). A commit costs about as much as a dozen reads
 * whatever it holds, so a deploy sending its blobs eight at a time would otherwise spend most of
 * its upload waiting on one commit per file. A lone upload is written at once; those arriving
 * while a commit is in flight are written together right after it. Each caller learns the
 * outcome of its own batch (a batch that fails part-way fails all of its uploads, which retry
 * harmlessly: blobs are content-addressed). A blob too big to share a batch is written on its
 * own, outside the queue, so the small ones never wait behind its commits.
 */
export async function storeBlob(
  kv: Deno.Kv,
  accountId: string,
  sha256: string,
  bytes: Uint8Array,
): Promise<void> {
  if (bytes.byteLength > GROUP_BYTES) {
    const writer = new BlobWriter(kv, accountId);
    await writer.add(sha256, bytes);
    return await writer.flush();
  }
  let queues = uploadQueues.get(kv);
  if (!queues) uploadQueues.set(kv, queues = new Map());
  let queue = queues.get(accountId);
  if (!queue) queues.set(accountId, queue = []);
  const done = Promise.withResolvers<void>();
  queue.push({ sha256, bytes, done });
  if (queue.length === 1) void drain(kv, accountId, queues, queue);
  return await done.promise;
}

interface Upload {
  sha256: string;
  bytes: Uint8Array;
  done: PromiseWithResolvers<void>;
}

/** Per KV handle and account, the uploads waiting to be written (the first is being written). */
const uploadQueues = new WeakMap<Deno.Kv, Map<string, Upload[]>>();

/** Uploads written in one batch at most: bounded like one `BlobWriter` batch. */
const GROUP_BYTES = 4 * COMMIT_BYTES;

async function drain(
  kv: Deno.Kv,
  accountId: string,
  queues: Map<string, Upload[]>,
  queue: Upload[],
): Promise<void> {
  try {
    while (queue.length) {
      let bytes = 0;
      let count = 0;
      while (count < queue.length && bytes + queue[count].bytes.byteLength <= GROUP_BYTES) {
        bytes += queue[count].bytes.byteLength;
        count++;
      }
      // The batch stays at the head of the queue while it is written: an upload arriving now
      // sees a non-empty queue and waits for the next round instead of starting a drain.
      const batch = queue.slice(0, count);
      const writer = new BlobWriter(kv, accountId);
      try {
        for (const upload of batch) await writer.add(upload.sha256, upload.bytes);
        await writer.flush();
        for (const upload of batch) upload.done.resolve();
      } catch (error) {
        for (const upload of batch) upload.done.reject(error);
      }
      queue.splice(0, count);
    }
  } catch (error) {
    // Nothing above throws outside its own try; should it ever, no upload is left waiting.
    for (const upload of queue.splice(0)) upload.done.reject(error);
  } finally {
    queues.delete(accountId);
  }
}

/**
 * Reads a whole blob. Blobs are immutable, so an eventually consistent read is always right
 * (and on Deno Deploy it is served from the nearest replica).
 */
export async function readBlob(
  kv: Deno.Kv,
  accountId: string,
  sha256: string,
  size: number,
): Promise<Uint8Array | null> {
  return (await readBlobs(kv, accountId, [{ sha256, size }]))[0];
}

/**
 * Reads whole blobs, in order; null for one that is missing or incomplete. The chunks of all of
 * them are fetched ten keys per `getMany`, all at once: small files share a round trip, which
 * matters when an install reads back thousands of them.
 */
export async function readBlobs(
  kv: Deno.Kv,
  accountId: string,
  blobs: { sha256: string; size: number }[],
): Promise<(Uint8Array | null)[]> {
  const keys: Deno.KvKey[] = [];
  for (const { sha256, size } of blobs) {
    const chunks = Math.max(1, Math.ceil(size / CHUNK_BYTES));
    for (let i = 0; i < chunks; i++) keys.push(blobChunkKey(accountId, sha256, i));
  }
  const entries = await getManyBatched<Uint8Array>(kv, keys, { consistency: "eventual" });
  let next = 0;
  return blobs.map(({ size }) => {
    const chunks = Math.max(1, Math.ceil(size / CHUNK_BYTES));
    const out = new Uint8Array(size);
    let offset = 0;
    const own = entries.slice(next, next + chunks);
    next += chunks;
    for (const entry of own) {
      const value = entry.value;
      if (!value || offset + value.byteLength > size) return null;
      out.set(value, offset);
      offset += value.byteLength;
      // Each chunk is a buffer of its own, copied now: free it rather than leave it to GC.
      release(value);
    }
    return offset === size ? out : null;
  });
}
