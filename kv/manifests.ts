/**
 * Manifests: the immutable list of a version's files. A large package (20,000 files) makes a
 * manifest of megabytes, so it is stored as JSON pages under the 64 KiB value cap, keyed by a
 * manifest id; the version record names the id and page count.
 */
import { newId } from "./ids.ts";
import { manifestPageKey } from "./keys.ts";
import { getManyBatched } from "./page.ts";
import type { BlobVariant } from "./blobs.ts";

export interface ManifestFile {
  path: string;
  sha256: string;
  size: number;
  content_type: string;
  /** Precompressed variants (blobs of their own), present only when clearly smaller. */
  br?: BlobVariant;
  gzip?: BlobVariant;
}

export interface ManifestRef {
  manifest_id: string;
  manifest_pages: number;
}

/** Keep a page's serialised value below the 64 KiB value cap with room for overhead. */
const PAGE_BYTES = 56 * 1024;
/** Pages per commit, under the 800 KiB commit cap. */
const PAGES_PER_COMMIT = 12;

export async function writeManifest(
  kv: Deno.Kv,
  appId: string,
  files: ManifestFile[],
): Promise<ManifestRef> {
  const pages: ManifestFile[][] = [[]];
  let pageBytes = 2;
  for (const file of files) {
    // Estimate in UTF-8 bytes: the stored value is V8-serialised, close to this in size.
    const size = new TextEncoder().encode(JSON.stringify(file)).byteLength + 1;
    if (pageBytes + size > PAGE_BYTES && pages.at(-1)!.length) {
      pages.push([]);
      pageBytes = 2;
    }
    pages.at(-1)!.push(file);
    pageBytes += size;
  }
  const manifestId = newId();
  for (let i = 0; i < pages.length; i += PAGES_PER_COMMIT) {
    const op = kv.atomic();
    for (let p = i; p < Math.min(pages.length, i + PAGES_PER_COMMIT); p++) {
      op.set(manifestPageKey(appId, manifestId, p), pages[p]);
    }
    const result = await op.commit();
    if (!result.ok) throw new Error("Manifest commit failed");
  }
  return { manifest_id: manifestId, manifest_pages: pages.length };
}

/** Reads a manifest; immutable, so eventual consistency is always correct. */
export async function readManifest(
  kv: Deno.Kv,
  appId: string,
  ref: ManifestRef,
): Promise<ManifestFile[]> {
  const keys: Deno.KvKey[] = [];
  for (let p = 0; p < ref.manifest_pages; p++) {
    keys.push(manifestPageKey(appId, ref.manifest_id, p));
  }
  const files: ManifestFile[] = [];
  for (const entry of await getManyBatched<ManifestFile[]>(kv, keys, { consistency: "eventual" })) {
    if (!entry.value) throw new Error(`Manifest page missing: ${String(entry.key)}`);
    files.push(...entry.value);
  }
  return files;
}
