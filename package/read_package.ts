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

const FORMAT_BY_CONTENT_TYPE: Record<string, PackageFormat> = {
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

function sniff(bytes: Uint8Array): PackageFormat | null {
  // "PK\x03\x04" starts a zip with entries, "PK\x05\x06" an empty one (APPNOTE 4.3.6).
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
    if ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6)) return "zip";
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return "tar.gz"; // RFC 1952 ID1 ID2
  return null;
}

/**
 * The format of an upload: magic bytes when the first bytes are given and recognised (they
 * cannot be mistaken), else the media type, parameters ignored. Null when neither tells.
 */
export function detectFormat(
  contentType: string | null,
  firstBytes?: Uint8Array,
): PackageFormat | null {
  const sniffed = firstBytes ? sniff(firstBytes) : null;
  if (sniffed) return sniffed;
  const mediaType = contentType?.split(";")[0].trim().toLowerCase() ?? "";
  return FORMAT_BY_CONTENT_TYPE[mediaType] ?? null;
}
