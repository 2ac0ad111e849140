import type { PackageLimits } from "./limits.ts";
import { readTarGz } from "./tar_reader.ts";
import { readZip } from "./zip_reader.ts";
import type { PackageEntry } from "./entry.ts";

/**
 * Reading a package archive, whatever its format. The readers refuse with a `PackageError`
 * (rule, entry, HTTP status) the moment an archive breaks a rule of DESIGN.md "Packages";
 * the caller still runs `finalizePackagePaths` on the paths it got, and stores nothing as
 * ready before the last entry has been read.
 */

export type PackageFormat = "zip" | "tar.gz";

/** Yields every regular file of the archive (folders are skipped), enforcing `limits`. */
export function readPackage(
  body: ReadableStream<Uint8Array>,
  format: PackageFormat,
  limits: PackageLimits,
): AsyncGenerator<PackageEntry> {
  return format === "zip" ? readZip(body, limits) : readTarGz(body, limits);
}

/**
 * The media types an archive upload may be sent as, and the format each means: the one list the
 * API accepts and documents (its OpenAPI request body is made from it).
 */
export const ARCHIVE_MEDIA_TYPES: Readonly<Record<string, PackageFormat>> = {
  "application/zip": "zip",
  "application/x-zip": "zip",
  "application/x-zip-compressed": "zip",
  "application/gzip": "tar.gz",
  "application/x-gzip": "tar.gz",
  "application/x-gtar": "tar.gz",
  "application/x-tgz": "tar.gz",
  "application/tar+gzip": "tar.gz",
  "application/x-tar+gzip": "tar.gz",
  "application/x-compressed-tar": "tar.gz",
};

/** The archive format a Content-Type names (parameters ignored), or null for any other. */
export function archiveFormat(contentType: string | null): PackageFormat | null {
  const mediaType = contentType?.split(";")[0].trim().toLowerCase() ?? "";
  return Object.hasOwn(ARCHIVE_MEDIA_TYPES, mediaType) ? ARCHIVE_MEDIA_TYPES[mediaType] : null;
}
