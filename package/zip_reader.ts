import { PackageError } from "../lib/errors.ts";
import { UnpackBudget } from "./budget.ts";
import type { PackageLimits } from "./limits.ts";
import { archiveEntryName, quoteEntry, validatePackagePath } from "./paths.ts";
import type { PackageEntry } from "./entry.ts";
import { type CentralEntry, corruptZip, readCentralDirectory } from "./zip_directory.ts";
import { unpackZipEntry, type ZipEntryData } from "./zip_inflate.ts";

/**
 * Reads a zip package. A zip is read from its end (the central directory), so the body is
 * buffered, counting bytes as they arrive and stopping at the archive limit. Every entry is
 * then checked before the first one is unpacked: a refused zip costs no inflating.
 */

const LOCAL_SIGNATURE = 0x04034b50;
const LOCAL_BYTES = 30;
const UNIX_HOSTS = new Set([3, 19]); // APPNOTE 4.4.2.2: 3 UNIX, 19 OS X (Darwin)
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_STRONG_ENCRYPTION = 0x0040;
const FLAG_DATA_DESCRIPTOR = 0x0008;
const FLAG_MASKED_HEADERS = 0x2000;
const METHOD_NAMES: Record<number, string> = {
  1: "shrink",
  6: "implode",
  9: "deflate64",
  12: "bzip2",
  14: "LZMA",
  93: "Zstandard",
  95: "XZ",
  98: "PPMd",
  99: "AES",
};

async function readBody(body: ReadableStream<Uint8Array>, budget: UnpackBudget) {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      received += next.value.length;
      budget.checkArchiveBytes(received);
      chunks.push(next.value);
    }
  } catch (error) {
    await reader.cancel(error).catch(() => {});
    throw error;
  }
  const zip = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    zip.set(chunk, offset);
    offset += chunk.length;
  }
  return zip;
}

/** Returns true for a folder entry; refuses links and every other non-regular type. */
function isFolder(entry: CentralEntry): boolean {
  const type = UNIX_HOSTS.has(entry.host) ? (entry.externalAttributes >>> 16) & S_IFMT : 0;
  if (type === S_IFLNK) {
    throw new PackageError(
      "link_entry",
      `Package entry is a symbolic link; put the file itself in the package: ${
        quoteEntry(entry.name)
      }`,
      entry.name,
    );
  }
  if (type !== 0 && type !== S_IFREG && type !== S_IFDIR) {
    throw new PackageError(
      "special_entry",
      `Package entry is not a regular file (device, FIFO or socket): ${quoteEntry(entry.name)}`,
      entry.name,
    );
  }
  return type === S_IFDIR || entry.name.endsWith("/");
}

function checkCoding(entry: CentralEntry): void {
  if (entry.flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION | FLAG_MASKED_HEADERS)) {
    throw new PackageError(
      "encrypted_entry",
      `Package entry is encrypted; zip it again without a password: ${quoteEntry(entry.name)}`,
      entry.name,
    );
  }
  if (entry.method !== 0 && entry.method !== 8) {
    const name = METHOD_NAMES[entry.method] ?? "unknown";
    throw new PackageError(
      "unsupported_method",
      `Package entry uses compression method ${entry.method} (${name}); only stored and ` +
        `deflate are supported: ${quoteEntry(entry.name)}`,
      entry.name,
    );
  }
}

/**
 * Finds an entry's data through its local header, which must agree with the central
 * directory: tools that stream a zip read the local header, so any disagreement would let two
 * readers see two different packages.
 */
function locateData(zip: Uint8Array, view: DataView, entry: CentralEntry, limit: number) {
  const at = entry.localOffset;
  if (at + LOCAL_BYTES > limit || view.getUint32(at, true) !== LOCAL_SIGNATURE) {
    throw corruptZip("an entry's local header is missing", entry.name);
  }
  const flags = view.getUint16(at + 6, true);
  const nameLength = view.getUint16(at + 26, true);
  const start = at + LOCAL_BYTES + nameLength + view.getUint16(at + 28, true);
  const localName = zip.subarray(at + LOCAL_BYTES, at + LOCAL_BYTES + nameLength);
  if (
    view.getUint16(at + 8, true) !== entry.method ||
    (flags & FLAG_ENCRYPTED) !== (entry.flags & FLAG_ENCRYPTED) ||
    localName.length !== entry.nameBytes.length ||
    !localName.every((b, i) => b === entry.nameBytes[i])
  ) {
    throw corruptZip("an entry's local header disagrees with the central directory", entry.name);
  }
  if (!(flags & FLAG_DATA_DESCRIPTOR)) {
    if (view.getUint32(at + 14, true) !== entry.crc) {
      throw corruptZip("an entry's local header declares another CRC-32", entry.name);
    }
    const sizes = [view.getUint32(at + 18, true), view.getUint32(at + 22, true)];
    const expected = [entry.compressedSize, entry.size];
    if (sizes.some((size, i) => size !== 0xffffffff && size !== expected[i])) {
      throw new PackageError(
        "size_mismatch",
        `Package entry declares different sizes in its local header and the central ` +
          `directory: ${quoteEntry(entry.name)}`,
        entry.name,
      );
    }
  }
  const end = start + entry.compressedSize;
  if (end > limit) throw corruptZip("an entry's data runs past the central directory", entry.name);
  return { start, end };
}

/** Entries sharing bytes are how "overlapping" zip bombs multiply one payload many times. */
function checkNoOverlap(spans: { start: number; end: number; name: string }[]): void {
  spans.sort((a, b) => a.start - b.start);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i].start < spans[i - 1].end) {
      throw corruptZip("two entries share the same bytes", spans[i].name);
    }
  }
}

/** Checks every entry of the central directory and lists the files to unpack, in order. */
function planFiles(zip: Uint8Array, budget: UnpackBudget): ZipEntryData[] {
  // Folders are entries too: allow as many of them as files before calling the count a bomb.
  const { entries, offset } = readCentralDirectory(zip, budget.limits.files * 2 + 16);
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const files: ZipEntryData[] = [];
  const spans: { start: number; end: number; name: string }[] = [];
  for (const entry of entries) {
    const name = archiveEntryName(entry.name);
    if (name === null) continue;
    const folder = isFolder(entry);
    validatePackagePath(name, folder ? "folder" : "file");
    if (!folder) checkCoding(entry);
    const { start, end } = locateData(zip, view, entry, offset);
    spans.push({ start: entry.localOffset, end, name: entry.name });
    if (folder) {
      if (entry.size > 0) throw corruptZip("a folder entry has content", entry.name);
      continue;
    }
    budget.addFile(entry.name);
    budget.addDeclared(entry.name, entry.size);
    const compressed = zip.subarray(start, end);
    files.push({
      path: name,
      method: entry.method,
      size: entry.size,
      crc: entry.crc,
      compressed,
    });
  }
  checkNoOverlap(spans);
  return files;
}

/** Yields the regular files of a zip package (folders skipped), in central directory order. */
export async function* readZip(
  body: ReadableStream<Uint8Array>,
  limits: PackageLimits,
): AsyncGenerator<PackageEntry> {
  const budget = new UnpackBudget(limits);
  const zip = await readBody(body, budget);
  const files = planFiles(zip, budget);
  let packed = 0;
  for (const file of files) {
    const bytes = unpackZipEntry(file, budget, packed);
    packed += file.compressed.length;
    yield { path: file.path, bytes };
  }
}
