/**
 * Installing a package as a new version (DESIGN "Packages"), two ways — here from an archive,
 * in install/manifest.ts from a manifest:
 * - from an archive, read as a stream: every file is validated, hashed and written as a blob
 *   while reading; the version is recorded `ready` only after the whole archive passed;
 * - from a manifest (the CLI): the version is recorded `uploading`, the client sends the blobs
 *   the account lacks, and `finalize` flips it to `ready` once all are present.
 * A refused or crashed install leaves at most unreferenced blobs and manifest pages, which
 * `collectGarbage` removes; never a `ready` version.
 */
import { PackageError, UnavailableError } from "../lib/errors.ts";
import { sha256HexSync } from "../lib/sha256_sync.ts";
import { contentTypeFor } from "../lib/content_type.ts";
import { type PackageFormat, readPackage } from "../package/read_package.ts";
import { finalizePackagePaths } from "../package/paths.ts";
import type { PackageLimits } from "../package/limits.ts";
import type { App } from "../kv/apps.ts";
import { blobSizes, type BlobVariants, BlobWriter } from "../kv/blobs.ts";
import { VariantMaker } from "./variants.ts";
import { mayBeConfig, type PackageConfig } from "../package/package_config.ts";
import { readPackageConfig } from "../package/read_config.ts";
import { type ManifestFile, writeManifest } from "../kv/manifests.ts";
import { recordVersion, type Version, type VersionInput } from "../kv/versions.ts";

export interface InstallResult {
  version: Version;
  newBlobs: number;
  newBytes: number;
}

/** Installs an archive (zip or tar.gz) as a new `ready` version. */
export async function installArchive(
  kv: Deno.Kv,
  app: App,
  body: ReadableStream<Uint8Array>,
  format: PackageFormat,
  limits: PackageLimits,
  input: VersionInput,
): Promise<InstallResult> {
  const writer = new BlobWriter(kv, app.account_id);
  const variants = new VariantMaker(kv, app.account_id, writer);
  const entries: { path: string; sha256: string; size: number }[] = [];
  const configBytes = new Map<string, Uint8Array>();
  try {
    for await (const entry of readPackage(body, format, limits)) {
      const sha256 = sha256HexSync(entry.bytes);
      entries.push({ path: entry.path, sha256, size: entry.bytes.byteLength });
      if (mayBeConfig(entry.path)) configBytes.set(entry.path, entry.bytes);
      // The content type depends only on the extension, which stripping a top folder keeps.
      await variants.add(sha256, entry.bytes, contentTypeFor(entry.path));
    }
    const finalPaths = finalizePackagePaths(entries.map((entry) => entry.path));
    const byFinal = new Map([...configBytes].map(([raw, bytes]) => [finalPaths.get(raw)!, bytes]));
    const config = await readPackageConfig((path) => Promise.resolve(byFinal.get(path) ?? null));
    const made = await variants.finish();
    const files = entries.map((entry) => manifestFile(finalPaths.get(entry.path)!, entry, made));
    const verify = async () => {
      const { missing } = await checkStored(kv, app, files);
      if (missing.length) {
        // Only a garbage sweep racing this install can get here (kv/sweep_guard.ts).
        throw new UnavailableError(
          "Storage was cleaned up while this package installed; upload it again",
          "storage_maintenance",
        );
      }
    };
    const version = await recordWithManifest(
      kv,
      app,
      files,
      { ...input, config },
      "ready",
      verify,
    );
    return { version, newBlobs: writer.newBlobs, newBytes: writer.newBytes };
  } catch (error) {
    await variants.abandon();
    throw error;
  }
}

export function manifestFile(
  path: string,
  entry: { sha256: string; size: number },
  variants?: Map<string, BlobVariants>,
): ManifestFile {
  const file: ManifestFile = {
    path,
    sha256: entry.sha256,
    size: entry.size,
    content_type: contentTypeFor(path),
  };
  const made = variants?.get(entry.sha256);
  if (made?.br) file.br = made.br;
  if (made?.gzip) file.gzip = made.gzip;
  return file;
}

export async function recordWithManifest(
  kv: Deno.Kv,
  app: App,
  files: ManifestFile[],
  input: VersionInput & { config?: PackageConfig },
  status: "ready" | "uploading",
  verify?: () => Promise<void>,
): Promise<Version> {
  files.sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  const ref = await writeManifest(kv, app.id, files);
  const bytes = files.reduce((sum, file) => sum + file.size, 0);
  return await recordVersion(
    kv,
    app,
    { ...input, status, fileCount: files.length, bytes },
    ref,
    verify,
  );
}

/**
 * Which blobs of `files` (and of their variants) the account lacks. A stored blob whose size is
 * not the one a file declares refuses the package: the edge serves `size` bytes of it.
 */
export async function checkStored(
  kv: Deno.Kv,
  app: App,
  files: ManifestFile[],
): Promise<{ missing: string[] }> {
  const wanted = new Map<string, { size: number; path: string }>();
  for (const file of files) {
    for (const blob of [file, file.br, file.gzip]) {
      if (!blob) continue;
      const earlier = wanted.get(blob.sha256);
      if (earlier && earlier.size !== blob.size) throw sizeLie(file.path, blob.size, earlier.size);
      wanted.set(blob.sha256, { size: blob.size, path: file.path });
    }
  }
  const sizes = await blobSizes(kv, app.account_id, wanted.keys());
  const missing: string[] = [];
  for (const [sha256, { size, path }] of wanted) {
    const stored = sizes.get(sha256);
    if (stored === undefined) missing.push(sha256);
    else if (stored !== size) throw sizeLie(path, size, stored);
  }
  return { missing };
}

function sizeLie(path: string, declared: number, actual: number): PackageError {
  return new PackageError(
    "size_mismatch",
    `Package entry declares ${declared} bytes but its content has ${actual}: "${path}"`,
    path,
  );
}
