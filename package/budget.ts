import { PackageError } from "../lib/errors.ts";
import { formatBytes, type PackageLimits, RATIO_FLOOR_BYTES } from "./limits.ts";
import { quoteEntry } from "./paths.ts";

/** A tar header block and at most a block of padding per file, plus room for pax records. */
const TAR_OVERHEAD_PER_FILE = 2048;
/**
 * Read-ahead between the gzip stream and the file bodies: modern-tar buffers up to 1 MiB, and
 * a few chunks of at most ~4 MiB each are in flight between the stages.
 */
const STREAM_SLACK_BYTES = 16 * 1024 * 1024;

/**
 * Counts what an archive reader has really seen (files, unpacked bytes, packed bytes) and
 * refuses the package the moment a limit is passed. Both readers share it so the zip and the
 * tar.gz path enforce the same rules with the same messages.
 */
export class UnpackBudget {
  #files = 0;
  #unpacked = 0;
  #declared = 0;
  #rawPaths = new Set<string>();

  constructor(readonly limits: PackageLimits) {}

  /** Total unpacked bytes so far. */
  get unpackedBytes(): number {
    return this.#unpacked;
  }

  /** Refuses the archive once more than `archiveBytes` have arrived. */
  checkArchiveBytes(received: number): void {
    if (received > this.limits.archiveBytes) {
      throw new PackageError(
        "archive_too_large",
        `Package archive is larger than the limit of ${formatBytes(this.limits.archiveBytes)}`,
        undefined,
        "too_large",
      );
    }
  }

  /** Counts one more regular file, refusing a repeated raw path or one file too many. */
  addFile(path: string): void {
    if (this.#rawPaths.has(path)) {
      throw new PackageError(
        "duplicate_entry",
        `Package contains the same path twice: ${quoteEntry(path)}`,
        path,
      );
    }
    this.#rawPaths.add(path);
    this.#files++;
    if (this.#files > this.limits.files) {
      throw new PackageError(
        "too_many_files",
        `Package has more than ${this.limits.files} files, the limit; stopped at: ${
          quoteEntry(path)
        }`,
        path,
        "too_large",
      );
    }
  }

  /**
   * Refuses early a size an archive declares past the limits (true or not, the package is
   * refused). Readers still count real bytes with `addBytes`; this only lets the zip reader
   * size its buffers from declared sizes without risk.
   */
  addDeclared(path: string, size: number): void {
    this.#declared += size;
    this.#check(path, size, this.#declared);
  }

  /**
   * Accounts `added` freshly unpacked bytes of `path`, which now has `fileBytes` in all, while
   * `packedBytes` of the archive have been consumed so far.
   */
  addBytes(path: string, fileBytes: number, added: number, packedBytes: number): void {
    this.#unpacked += added;
    this.#check(path, fileBytes, this.#unpacked);
    const { limits } = this;
    if (
      this.#unpacked > RATIO_FLOOR_BYTES && this.#unpacked > limits.ratio * Math.max(packedBytes, 1)
    ) {
      throw new PackageError(
        "compression_ratio",
        `Package unpacks to more than ${limits.ratio} times its packed size, ` +
          `which is refused as a zip bomb; stopped at: ${quoteEntry(path)}`,
        path,
        "too_large",
      );
    }
  }

  /**
   * Checks the whole unpacked stream of a tar.gz, headers and metadata included, which file
   * counts alone miss: a pax header or the zero padding after the end marker can be a gzip
   * bomb too. Generous on purpose (twice the ratio, plus slack for read-ahead) so that a bomb
   * inside a file is reported by `addBytes` with its entry.
   */
  checkStreamBytes(streamBytes: number, packedBytes: number): void {
    const { limits } = this;
    const overhead = limits.files * TAR_OVERHEAD_PER_FILE + STREAM_SLACK_BYTES;
    if (streamBytes > limits.unpackedBytes + overhead) {
      throw new PackageError(
        "unpacked_too_large",
        `Package unpacks to more than the limit of ${formatBytes(limits.unpackedBytes)}`,
        undefined,
        "too_large",
      );
    }
    if (streamBytes > 2 * limits.ratio * packedBytes + STREAM_SLACK_BYTES) {
      throw new PackageError(
        "compression_ratio",
        `Package unpacks to more than ${limits.ratio} times its packed size, ` +
          `which is refused as a zip bomb`,
        undefined,
        "too_large",
      );
    }
  }

  #check(path: string, fileBytes: number, unpackedBytes: number): void {
    const { limits } = this;
    if (fileBytes > limits.fileBytes) {
      throw new PackageError(
        "file_too_large",
        `Package file is larger than the limit of ${formatBytes(limits.fileBytes)}: ${
          quoteEntry(path)
        }`,
        path,
        "too_large",
      );
    }
    if (unpackedBytes > limits.unpackedBytes) {
      throw new PackageError(
        "unpacked_too_large",
        `Package unpacks to more than the limit of ${formatBytes(limits.unpackedBytes)}; ` +
          `stopped at: ${quoteEntry(path)}`,
        path,
        "too_large",
      );
    }
  }
}
