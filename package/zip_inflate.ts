import { Inflate, inflateSync } from "fflate";
import { PackageError } from "../lib/errors.ts";
import type { UnpackBudget } from "./budget.ts";
import { crc32 } from "./crc32.ts";
import { RATIO_FLOOR_BYTES } from "./limits.ts";
import { quoteEntry } from "./paths.ts";

/** The data of one zip entry, located and cross-checked against its local header. */
export interface ZipEntryData {
  path: string;
  method: number;
  /** Declared uncompressed size, already checked against the per-file and total limits. */
  size: number;
  crc: number;
  compressed: Uint8Array;
}

/**
 * Deflate cannot expand more than 1032:1 (a 258-byte match coded in about two bits). A step of
 * N input bytes therefore yields at most N × 1032 bytes before the next limit check.
 */
const MAX_DEFLATE_RATIO = 1032;
/** STACK-NOTES: push about 1 KiB at a time; a 16 KiB push of zeros inflated ~16 MiB unchecked. */
const MIN_STEP = 1024;
const MAX_STEP = 64 * 1024;

function sizeMismatch(path: string, detail: string): PackageError {
  return new PackageError(
    "size_mismatch",
    `Package entry ${detail} than its zip header declares: ${quoteEntry(path)}`,
    path,
  );
}

/**
 * Input for the next step: as much as can be inflated without passing the file limit, the
 * total limit or the ratio the packed bytes seen so far allow, even at deflate's maximum
 * ratio. The step is 1 KiB at the least, as STACK-NOTES asks (so a limit may be overshot by
 * about 1 MiB before the check); it grows as the packed bytes seen so far grow. The declared
 * size needs no room here: output past it is refused as it arrives.
 */
function nextStep(produced: number, budget: UnpackBudget, packed: number): number {
  const { limits } = budget;
  const headroom = Math.min(
    limits.fileBytes - produced,
    limits.unpackedBytes - budget.unpackedBytes,
    Math.max(RATIO_FLOOR_BYTES, limits.ratio * packed) - budget.unpackedBytes,
  );
  const step = Math.floor(headroom / MAX_DEFLATE_RATIO);
  return Math.min(MAX_STEP, Math.max(MIN_STEP, step));
}

function damaged(path: string, error: unknown): PackageError {
  if (error instanceof PackageError) return error;
  return new PackageError(
    "corrupt_archive",
    `Package entry has damaged deflate data (${(error as Error).message}): ${quoteEntry(path)}`,
    path,
    "bad_request",
  );
}

/**
 * An entry whose compressed data fits in one step is inflated in one call, into a buffer one
 * byte longer than declared: a longer result shows the declared size is a lie, and fflate
 * drops whatever would not fit. This skips the streaming inflater's 32 KiB window copies,
 * which are most of the cost for the small files a storefront is made of.
 */
function inflateWhole(entry: ZipEntryData, budget: UnpackBudget, packedBefore: number) {
  const { path, compressed } = entry;
  let bytes: Uint8Array;
  try {
    bytes = inflateSync(compressed, { out: new Uint8Array(entry.size + 1) });
  } catch (error) {
    // fflate copies a stored block with `set`, which throws when it overflows `out`.
    if (error instanceof RangeError) throw sizeMismatch(path, "unpacks to more bytes");
    throw damaged(path, error);
  }
  if (bytes.length > entry.size) throw sizeMismatch(path, "unpacks to more bytes");
  if (bytes.length < entry.size) throw sizeMismatch(path, "unpacks to fewer bytes");
  budget.addBytes(path, bytes.length, bytes.length, packedBefore + compressed.length);
  return bytes;
}

/** Inflates step by step, checking every limit between steps. */
function inflateInSteps(entry: ZipEntryData, budget: UnpackBudget, packedBefore: number) {
  const { path, compressed } = entry;
  // Allocating the declared size is safe: it was checked against the limits before.
  const out = new Uint8Array(entry.size);
  let produced = 0;
  const inflater = new Inflate((chunk) => {
    if (produced + chunk.length > out.length) throw sizeMismatch(path, "unpacks to more bytes");
    out.set(chunk, produced);
    produced += chunk.length;
  });
  let offset = 0;
  do {
    const step = nextStep(produced, budget, packedBefore + offset);
    const before = produced;
    const end = Math.min(compressed.length, offset + step);
    try {
      inflater.push(compressed.subarray(offset, end), end === compressed.length);
    } catch (error) {
      throw damaged(path, error);
    }
    offset = end;
    budget.addBytes(path, produced, produced - before, packedBefore + offset);
  } while (offset < compressed.length);
  if (produced !== out.length) throw sizeMismatch(path, "unpacks to fewer bytes");
  return out;
}

function inflate(entry: ZipEntryData, budget: UnpackBudget, packedBefore: number): Uint8Array {
  // No deflate stream is empty, but some writers store an empty file so: take it as empty.
  if (entry.compressed.length === 0) {
    if (entry.size !== 0) throw sizeMismatch(entry.path, "unpacks to fewer bytes");
    return new Uint8Array(0);
  }
  return entry.compressed.length <= nextStep(0, budget, packedBefore)
    ? inflateWhole(entry, budget, packedBefore)
    : inflateInSteps(entry, budget, packedBefore);
}

function unstore(entry: ZipEntryData, budget: UnpackBudget, packedBefore: number): Uint8Array {
  const { path, compressed } = entry;
  if (compressed.length !== entry.size) {
    throw sizeMismatch(
      path,
      compressed.length > entry.size ? "holds more bytes" : "holds fewer bytes",
    );
  }
  budget.addBytes(path, compressed.length, compressed.length, packedBefore + compressed.length);
  return compressed.slice();
}

/**
 * Unpacks one entry (stored or deflate), checking the limits as it goes, then its real size
 * against the declared one and its CRC-32 against the stored one.
 */
export function unpackZipEntry(
  entry: ZipEntryData,
  budget: UnpackBudget,
  packedBefore: number,
): Uint8Array {
  const bytes = entry.method === 0
    ? unstore(entry, budget, packedBefore)
    : inflate(entry, budget, packedBefore);
  if (crc32(bytes) !== entry.crc) {
    throw new PackageError(
      "crc_mismatch",
      `Package entry fails its CRC-32 check, the zip is damaged: ${quoteEntry(entry.path)}`,
      entry.path,
      "bad_request",
    );
  }
  return bytes;
}
