/**
 * SHA-256 → bytes, least recently used out first, within a byte budget. A Map keeps insertion
 * order, so re-inserting on a hit makes the first key the least recently used.
 */
export class BlobCache {
  #entries = new Map<string, Uint8Array>();
  #bytes = 0;

  constructor(readonly budget: number) {}

  get bytes(): number {
    return this.#bytes;
  }

  get(sha256: string): Uint8Array | undefined {
    const bytes = this.#entries.get(sha256);
    if (bytes !== undefined) {
      this.#entries.delete(sha256);
      this.#entries.set(sha256, bytes);
    }
    return bytes;
  }

  set(sha256: string, bytes: Uint8Array): void {
    // A file bigger than a quarter of the budget would evict most of the cache for one file.
    if (bytes.byteLength > this.budget / 4 || this.#entries.has(sha256)) return;
    this.#entries.set(sha256, bytes);
    this.#bytes += bytes.byteLength;
    for (const [key, value] of this.#entries) {
      if (this.#bytes <= this.budget) break;
      this.#entries.delete(key);
      this.#bytes -= value.byteLength;
    }
  }
}
