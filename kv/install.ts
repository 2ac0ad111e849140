/**
 * Installing a package as a new version, two ways (DESIGN "Packages"):
 * - from an archive, read as a stream: every file is validated, hashed and written as a blob
 *   while reading; the version is recorded `ready` only after the whole archive passed;
 * - from a manifest (the CLI): the version is recorded `uploading`, the client sends the blobs
 *   the account lacks, and `finalize` flips it to `ready` once all are present.
 * A refused or crashed install leaves at most unreferenced blobs and manifest pages, which
 * `collectGarbage` removes; never a `ready` version.
 */
import { DomainError, PackageError, ValidationError } from "../lib/errors.ts";
import { sha256Hex, sha256HexSync } from "../lib/crypto.ts";
import { contentTypeFor } from "../lib/content_type.ts";
import { type PackageFormat, readPackage } from "../package/read_package.ts";
import { finalizePackagePaths, validatePackagePath } from "../package/paths.ts";
import type { PackageLimits } from "../package/limits.ts";
import type { App } from "./apps.ts";
import { blobMetas, blobSizes, type BlobVariants, BlobWriter, readBlob } from "./blobs.ts";
import { VariantMaker } from "./variants.ts";
import { mayBeConfig, type PackageConfig, readPackageConfig } from "../package/package_config.ts";
import { type ManifestFile, readManifest, writeManifest } from "./manifests.ts";
import {
  getVersion,
  markReady,
  recordVersion,
  type Version,
  type VersionInput,
} from "./versions.ts";

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
        throw new DomainError(
          503,
          "storage_maintenance",
          "Storage was cleaned up while this package installed; upload it again",
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

function manifestFile(
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

async function recordWithManifest(
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

export interface ManifestEntryInput {
  path: string;
  sha256: string;
  size: number;
}

/**
 * Records a version from a manifest, status `uploading`, and answers which blobs the account
 * lacks. Paths obey the same rules as archive entries (no top folder is stripped: the CLI sends
 * paths relative to the folder it deploys).
 */
export async function createFromManifest(
  kv: Deno.Kv,
  app: App,
  entries: ManifestEntryInput[],
  limits: PackageLimits,
  input: VersionInput,
): Promise<{ version: Version; missing: string[] }> {
  checkManifestLimits(entries, limits);
  const paths = entries.map((entry) => validatePackagePath(entry.path));
  const finalPaths = finalizePackagePaths(paths, { stripTopFolder: false });
  const files = entries.map((entry, i) => manifestFile(finalPaths.get(paths[i])!, entry));
  const { missing } = await checkStored(kv, app, files);
  const version = await recordWithManifest(kv, app, files, input, "uploading");
  return { version, missing };
}

/**
 * Which blobs of `files` (and of their variants) the account lacks. A stored blob whose size is
 * not the one a file declares refuses the package: the edge serves `size` bytes of it.
 */
async function checkStored(
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

function checkManifestLimits(entries: ManifestEntryInput[], limits: PackageLimits): void {
  if (entries.length > limits.files) {
    throw new PackageError(
      "too_many_files",
      `Package has too many files: ${entries.length} (the limit is ${limits.files})`,
      undefined,
      413,
    );
  }
  let total = 0;
  for (const entry of entries) {
    if (entry.size > limits.fileBytes) {
      throw new PackageError(
        "file_too_large",
        `Package entry is larger than ${limits.fileBytes} bytes: "${entry.path}"`,
        entry.path,
        413,
      );
    }
    total += entry.size;
  }
  if (total > limits.unpackedBytes) {
    throw new PackageError(
      "package_too_large",
      `Package unpacks to ${total} bytes (the limit is ${limits.unpackedBytes})`,
      undefined,
      413,
    );
  }
}

/** Flips an `uploading` version to `ready`; 422 listing the blobs still missing. */
export async function finalizeVersion(kv: Deno.Kv, app: App, number: number): Promise<Version> {
  const version = await getVersion(kv, app, number);
  if (version.status === "ready") return version;
  const files = await readManifest(kv, app.id, version);
  const requireStored = async (list: ManifestFile[]) => {
    const { missing } = await checkStored(kv, app, list);
    if (missing.length) {
      throw new ValidationError(
        `Version ${number} still lacks ${missing.length} blob(s): upload them, then finalize`,
        { missing },
        "blobs_missing",
      );
    }
  };
  await requireStored(files);
  const byPath = new Map(files.map((file) => [file.path, file]));
  const config = await readPackageConfig(async (path) => {
    const file = byPath.get(path);
    return file ? await readBlob(kv, app.account_id, file.sha256, file.size) : null;
  });
  const made = await precompressStored(kv, app, files);
  const withVariants = files.map((file) => manifestFile(file.path, file, made));
  // Manifests are immutable: the variants go into a new one, the version record names it, and
  // the upload's first manifest becomes garbage for `collectGarbage`.
  const ref = await writeManifest(kv, app.id, withVariants);
  return await markReady(kv, app, number, config, ref, () => requireStored(withVariants));
}

/** Blobs read at once while precompressing an uploaded version. */
const PARALLEL_READS = 8;

/**
 * Variants for the compressible files of a version whose blobs were uploaded one by one (the
 * manifest flow): only files whose blobs record no verified variants are read and compressed.
 */
async function precompressStored(
  kv: Deno.Kv,
  app: App,
  files: ManifestFile[],
): Promise<Map<string, BlobVariants>> {
  const wanted = files.filter((file) => VariantMaker.wants(file.content_type, file.size));
  const metas = await blobMetas(kv, app.account_id, wanted.map((file) => file.sha256));
  const writer = new BlobWriter(kv, app.account_id);
  const maker = new VariantMaker(kv, app.account_id, writer);
  try {
    const todo: ManifestFile[] = [];
    for (const file of wanted) {
      const variants = metas.get(file.sha256)?.variants;
      if (variants) maker.known(file.sha256, variants);
      else todo.push(file);
    }
    for (let i = 0; i < todo.length; i += PARALLEL_READS) {
      const group = todo.slice(i, i + PARALLEL_READS);
      const blobs = await Promise.all(
        group.map((file) => readBlob(kv, app.account_id, file.sha256, file.size)),
      );
      for (const [j, file] of group.entries()) {
        const bytes = blobs[j];
        if (bytes) await maker.add(file.sha256, bytes, file.content_type);
      }
    }
    return await maker.finish();
  } catch (error) {
    await maker.abandon();
    throw error;
  }
}

/** Stores one uploaded blob after checking that its bytes hash to the name it was sent under. */
export async function putBlob(
  kv: Deno.Kv,
  app: App,
  sha256: string,
  bytes: Uint8Array,
  limits: PackageLimits,
): Promise<{ created: boolean }> {
  if (bytes.byteLength > limits.fileBytes) {
    throw new PackageError(
      "file_too_large",
      `Blob is larger than ${limits.fileBytes} bytes: "${sha256}"`,
      undefined,
      413,
    );
  }
  const actual = await sha256Hex(bytes);
  if (actual !== sha256) {
    throw new ValidationError(
      `Blob bytes hash to "${actual}", not to the name they were sent under: "${sha256}"`,
      { expected: sha256, actual },
      "hash_mismatch",
    );
  }
  const writer = new BlobWriter(kv, app.account_id);
  await writer.add(sha256, bytes);
  await writer.flush();
  return { created: writer.newBlobs > 0 };
}
