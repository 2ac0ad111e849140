/**
 * Limits a package archive must stay within. They are enforced while the archive streams in,
 * on bytes actually seen, never on sizes an archive declares about itself.
 */
export interface PackageLimits {
  /** Bytes of the archive as uploaded (compressed). */
  archiveBytes: number;
  /** Regular files in the archive (folders do not count). */
  files: number;
  /** Bytes of one file once unpacked. */
  fileBytes: number;
  /** Bytes of all files once unpacked. */
  unpackedBytes: number;
  /** Highest unpacked/packed ratio, the mark of a zip bomb. */
  ratio: number;
}

const MiB = 1024 * 1024;

/** The defaults of DESIGN.md "Packages". */
export const DEFAULT_PACKAGE_LIMITS: Readonly<PackageLimits> = Object.freeze({
  archiveBytes: 200 * MiB,
  files: 20_000,
  fileBytes: 25 * MiB,
  unpackedBytes: 1024 * MiB,
  ratio: 200,
});

/**
 * The ratio is judged only once this much has been unpacked: a few small, very repetitive
 * files (an empty JSON array padded to a block) can show a high ratio while being harmless.
 */
export const RATIO_FLOOR_BYTES = 1 * MiB;

/** Human size for messages: "25 MiB", "512 bytes". */
export function formatBytes(bytes: number): string {
  if (bytes >= MiB && bytes % MiB === 0) return `${bytes / MiB} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
