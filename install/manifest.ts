/**
 * The manifest flow the CLI uses (DESIGN "Packages"): the client sends `{path, sha256, size}`
 * for every file, the version is recorded `uploading` with the blobs the account lacks, the
 * client uploads those (`putBlob` verifies each hash), and `finalizeVersion` makes the version
 * `ready` once every blob is there, with its declared size.
 */
import { PackageError, ValidationError } from "../lib/errors.ts";
import { sha256HexSync } from "../lib/sha256_sync.ts";
import { sha256Hex } from "../lib/crypto.ts";

/** Past this size a blob upload is hashed by WebCrypto, which does not block the event loop. */
const OFF_THREAD_HASH_BYTES = 1024 * 1024;
import { finalizePackagePaths, validatePackagePath } from "../package/paths.ts";
import type { PackageLimits } from "../package/limits.ts";
import type { App } from "../kv/apps.ts";
import type { AuditBy } from "../kv/audit.ts";
import {
  blobMetas,
  type BlobVariants,
  BlobWriter,
  readBlob,
  readBlobs,
  storeBlob,
} from "../kv/blobs.ts";
import { checkStored, manifestFile, recordWithManifest } from "./archive.ts";
import { VariantMaker } from "./variants.ts";
import { readPackageConfig } from "../package/read_config.ts";
import { type ManifestFile, readManifest, writeManifest } from "../kv/manifests.ts";
import { getVersion, markReady, type Version, type VersionInput } from "../kv/versions.ts";

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

function checkManifestLimits(entries: ManifestEntryInput[], limits: PackageLimits): void {
  if (entries.length > limits.files) {
    throw new PackageError(
      "too_many_files",
      `Package has too many files: ${entries.length} (the limit is ${limits.files})`,
      undefined,
      "too_large",
    );
  }
  let total = 0;
  for (const entry of entries) {
    if (entry.size > limits.fileBytes) {
      throw new PackageError(
        "file_too_large",
        `Package entry is larger than ${limits.fileBytes} bytes: "${entry.path}"`,
        entry.path,
        "too_large",
      );
    }
    total += entry.size;
  }
  if (total > limits.unpackedBytes) {
    throw new PackageError(
      "package_too_large",
      `Package unpacks to ${total} bytes (the limit is ${limits.unpackedBytes})`,
      undefined,
      "too_large",
    );
  }
}

/** Flips an `uploading` version to `ready`; a `ValidationError` listing the blobs still missing. */
export async function finalizeVersion(
  kv: Deno.Kv,
  app: App,
  number: number,
  audit?: AuditBy,
): Promise<Version> {
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
  return await markReady(kv, app, number, config, ref, () => requireStored(withVariants), audit);
}

/** Read back at once while precompressing an uploaded version: files, and bytes. */
const READ_FILES = 64;
const READ_BYTES = 4 * 1024 * 1024;

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
    // Each blob once, however many paths hold the same bytes.
    const todo = new Map<string, ManifestFile>();
    for (const file of wanted) {
      const variants = metas.get(file.sha256)?.variants;
      if (variants) maker.known(file.sha256, variants);
      else todo.set(file.sha256, file);
    }
    await readAndCompress(kv, app, [...todo.values()], maker);
    return await maker.finish();
  } catch (error) {
    await maker.abandon();
    throw error;
  }
}

/** Reads the blobs of `todo` back in groups and hands them to `maker`. */
async function readAndCompress(
  kv: Deno.Kv,
  app: App,
  todo: ManifestFile[],
  maker: VariantMaker,
): Promise<void> {
  for (let i = 0; i < todo.length;) {
    const group: ManifestFile[] = [];
    let bytes = 0;
    while (i < todo.length && group.length < READ_FILES && (!group.length || bytes < READ_BYTES)) {
      bytes += todo[i].size;
      group.push(todo[i++]);
    }
    const blobs = await readBlobs(kv, app.account_id, group);
    for (const [j, file] of group.entries()) {
      const read = blobs[j];
      if (read) await maker.add(file.sha256, read, file.content_type);
    }
  }
}

/** Stores one uploaded blob after checking that its bytes hash to the name it was sent under. */
export async function putBlob(
  kv: Deno.Kv,
  app: App,
  sha256: string,
  bytes: Uint8Array,
  limits: PackageLimits,
): Promise<void> {
  if (bytes.byteLength > limits.fileBytes) {
    throw new PackageError(
      "file_too_large",
      `Blob is larger than ${limits.fileBytes} bytes: "${sha256}"`,
      undefined,
      "too_large",
    );
  }
  // A big blob is hashed off the thread that serves shoppers (WebCrypto runs it elsewhere); a
  // small one is faster hashed at once than handed over.
  const actual = bytes.byteLength >= OFF_THREAD_HASH_BYTES
    ? await sha256Hex(bytes)
    : sha256HexSync(bytes);
  if (actual !== sha256) {
    throw new ValidationError(
      `Blob bytes hash to "${actual}", not to the name they were sent under: "${sha256}"`,
      { expected: sha256, actual },
      "hash_mismatch",
    );
  }
  await storeBlob(kv, app.account_id, sha256, bytes);
}
