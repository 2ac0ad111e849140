/**
 * Content-addressed blobs, scoped per account, stored as chunks under Deno KV's 64 KiB value
 * cap. Writes are batched into commits under KV's 800 KiB / 1,000-mutation limits; a blob's
 * meta key lands in (or after) the commit of its last chunk, so "meta present" means "whole".
 */
import { blobChunkKey, blobMetaKey } from "./keys.ts";

/** Deno KV caps a value at 64 KiB; keep chunks below it with room for the key. */
export const CHUNK_BYTES = 60 * 1024;
/** Deno KV caps a commit at 800 KiB; stay well below it. */
const COMMIT_BYTES = 700 * 1024;
/** Deno KV allows 10 keys per getMany. */
const GET_MANY = 10;

export interface BlobMeta {
  size: number;
  chunks: number;
}

/** Which of `hashes` the account already holds in full. */
export async function presentBlobs(
  kv: Deno.Kv,
  accountId: string,
  hashes: Iterable<string>,
): Promise<Set<string>> {
  const list = [...new Set(hashes)];
  const batches: Promise<Deno.KvEntryMaybe<BlobMeta>[]>[] = [];
  for (let i = 0; i < list.length; i += GET_MANY) {
    const keys = list.slice(i, i + GET_MANY).map((hash) => blobMetaKey(accountId, hash));
    batches.push(kv.getMany<BlobMeta[]>(keys));
  }
  const present = new Set<string>();
  for (const entries of await Promise.all(batches)) {
    for (const entry of entries) if (entry.value) present.add(entry.key[2] as string);
  }
  return present;
}

/**
 * Buffers blobs and writes the ones the account lacks in few large commits. `add` is cheap;
 * call `flush` before relying on what was added.
 */
export class BlobWriter {
  newBlobs = 0;
  newBytes = 0;
  #pending = new Map<string, Uint8Array>();
  #pendingBytes = 0;
  #known = new Set<string>();

  constructor(private kv: Deno.Kv, private accountId: string) {}

  async add(sha256: string, bytes: Uint8Array): Promise<void> {
    if (this.#known.has(sha256) || this.#pending.has(sha256)) return;
    this.#pending.set(sha256, bytes);
    this.#pendingBytes += bytes.byteLength;
    if (this.#pendingBytes >= 4 * COMMIT_BYTES || this.#pending.size >= 200) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.#pending.size === 0) return;
    const pending = this.#pending;
    this.#pending = new Map();
    this.#pendingBytes = 0;
    const present = await presentBlobs(this.kv, this.accountId, pending.keys());
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
    for (const [sha256, bytes] of pending) {
      this.#known.add(sha256);
      if (present.has(sha256)) continue;
      const chunks = Math.max(1, Math.ceil(bytes.byteLength / CHUNK_BYTES));
      for (let i = 0; i < chunks; i++) {
        const chunk = bytes.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES);
        if (opBytes + chunk.byteLength > COMMIT_BYTES || opCount >= 900) await commit();
        op.set(blobChunkKey(this.accountId, sha256, i), chunk);
        opBytes += chunk.byteLength + 200;
        opCount++;
      }
      const meta: BlobMeta = { size: bytes.byteLength, chunks };
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
 * Reads a whole blob. Blobs are immutable, so an eventually consistent read is always right
 * (and on Deno Deploy it is served from the nearest replica).
 */
export async function readBlob(
  kv: Deno.Kv,
  accountId: string,
  sha256: string,
  size: number,
): Promise<Uint8Array | null> {
  const chunks = Math.max(1, Math.ceil(size / CHUNK_BYTES));
  const reads: Promise<Deno.KvEntryMaybe<Uint8Array>[]>[] = [];
  for (let i = 0; i < chunks; i += GET_MANY) {
    const keys = [];
    for (let j = i; j < Math.min(chunks, i + GET_MANY); j++) {
      keys.push(blobChunkKey(accountId, sha256, j));
    }
    reads.push(kv.getMany<Uint8Array[]>(keys, { consistency: "eventual" }));
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const entries of await Promise.all(reads)) {
    for (const entry of entries) {
      if (!entry.value) return null;
      out.set(entry.value, offset);
      offset += entry.value.byteLength;
    }
  }
  return offset === size ? out : null;
}
