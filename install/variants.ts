/**
 * Precompressed variants for an install (DESIGN "Packages": text assets are precompressed, br
 * and gzip, at install). A compressible file's identity blob is written together with the record
 * of its variants, once they are made; a file whose blob already records verified variants (a
 * redeploy) is not compressed again.
 */
import { sha256HexSync } from "../lib/sha256_sync.ts";
import { isCompressible, MIN_COMPRESS_BYTES } from "./compress.ts";
import { Precompressor } from "./precompress.ts";
import { blobMetas, type BlobVariants, type BlobWriter, recordVariants } from "../kv/blobs.ts";

/** Files looked up and compressed together (one `getMany` round per 10 of them). */
const BATCH_FILES = 32;
const BATCH_BYTES = 4 * 1024 * 1024;
/** Bytes held for compression at once: the install's memory stays bounded on huge packages. */
const MAX_HELD_BYTES = 32 * 1024 * 1024;

interface Item {
  sha256: string;
  bytes: Uint8Array;
}

export class VariantMaker {
  #pool = new Precompressor();
  #batch: Item[] = [];
  #batchBytes = 0;
  #heldBytes = 0;
  #inFlight = new Set<Promise<void>>();
  #seen = new Set<string>();
  #results = new Map<string, BlobVariants>();
  #upgrades = new Map<string, BlobVariants>();
  #error: unknown = null;

  constructor(private kv: Deno.Kv, private accountId: string, private writer: BlobWriter) {}

  /** True when a file of this type and size gets variants. */
  static wants(contentType: string, size: number): boolean {
    return size >= MIN_COMPRESS_BYTES && isCompressible(contentType);
  }

  /**
   * Takes a file of the install: a compressible one is queued (its blob is written with its
   * variants), any other goes to the writer as it is. Waits while too much is held.
   */
  async add(sha256: string, bytes: Uint8Array, contentType: string): Promise<void> {
    this.#throwIfFailed();
    if (!VariantMaker.wants(contentType, bytes.byteLength)) {
      return await this.writer.add(sha256, bytes);
    }
    if (this.#seen.has(sha256)) return;
    this.#seen.add(sha256);
    this.#batch.push({ sha256, bytes });
    this.#batchBytes += bytes.byteLength;
    this.#heldBytes += bytes.byteLength;
    if (this.#batch.length >= BATCH_FILES || this.#batchBytes >= BATCH_BYTES) this.#dispatch();
    while (this.#heldBytes > MAX_HELD_BYTES && this.#inFlight.size) {
      await Promise.race(this.#inFlight);
    }
    this.#throwIfFailed();
  }

  /** Records variants already known for a blob (the caller checked they are present). */
  known(sha256: string, variants: BlobVariants): void {
    this.#seen.add(sha256);
    this.#results.set(sha256, variants);
  }

  /** Compresses what is queued, writes every blob, and answers identity sha256 → variants. */
  async finish(): Promise<Map<string, BlobVariants>> {
    this.#dispatch();
    while (this.#inFlight.size) await Promise.all(this.#inFlight);
    this.close();
    this.#throwIfFailed();
    await this.writer.flush();
    // Only now are the variant blobs stored: the metas may name them.
    if (this.#upgrades.size) await recordVariants(this.kv, this.accountId, this.#upgrades);
    return this.#results;
  }

  /** Stops the compression threads. */
  close(): void {
    this.#pool.close();
  }

  /**
   * After a failed install: stops compressing and waits for the work in flight, whatever its
   * outcome, so nothing keeps writing after the install has answered.
   */
  async abandon(): Promise<void> {
    this.close();
    await Promise.allSettled([...this.#inFlight]);
    await this.writer.settled();
  }

  #throwIfFailed(): void {
    if (this.#error !== null) throw this.#error;
  }

  #dispatch(): void {
    if (!this.#batch.length) return;
    const batch = this.#batch;
    this.#batch = [];
    this.#batchBytes = 0;
    const work: Promise<void> = this.#process(batch)
      .catch((error) => {
        this.#error ??= error;
      })
      .finally(() => {
        this.#inFlight.delete(work);
        for (const item of batch) this.#heldBytes -= item.bytes.byteLength;
      });
    this.#inFlight.add(work);
  }

  async #process(batch: Item[]): Promise<void> {
    const metas = await blobMetas(this.kv, this.accountId, batch.map((item) => item.sha256));
    const todo: Item[] = [];
    for (const item of batch) {
      const variants = metas.get(item.sha256)?.variants;
      if (variants) this.#results.set(item.sha256, variants);
      else todo.push(item);
    }
    const compressed = await this.#pool.compressMany(todo.map((item) => item.bytes));
    for (const [i, { sha256, bytes }] of todo.entries()) {
      const variants: BlobVariants = {};
      for (const encoding of ["br", "gzip"] as const) {
        const out = compressed[i][encoding];
        if (!out) continue;
        const hash = sha256HexSync(out);
        variants[encoding] = { sha256: hash, size: out.byteLength };
        await this.writer.add(hash, out);
      }
      this.#results.set(sha256, variants);
      if (metas.has(sha256)) this.#upgrades.set(sha256, variants);
      else await this.writer.add(sha256, bytes, variants);
    }
  }
}
