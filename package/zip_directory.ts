import { PackageError } from "../lib/errors.ts";

/**
 * A small reader for the zip central directory (PKWARE APPNOTE.TXT 6.3, sections 4.3.12–4.3.16
 * and 4.5.3 for zip64). fflate has no API for it: its streaming `Unzip` reads local headers
 * only, which carry neither "version made by" nor the external attributes where Unix file
 * types (symlinks, devices) live. The central directory is also what unzip tools extract by,
 * so it is the list of entries that counts.
 */

/** One entry as the central directory describes it. Sizes are declared, not yet verified. */
export interface CentralEntry {
  name: string;
  nameBytes: Uint8Array;
  /** Host system of "version made by" (APPNOTE 4.4.2.2): 3 is Unix, 19 is OS X. */
  host: number;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  externalAttributes: number;
  localOffset: number;
}

export interface CentralDirectory {
  entries: CentralEntry[];
  /** Where the central directory starts: every entry's data must end before it. */
  offset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const EOCD_BYTES = 22;
const CENTRAL_BYTES = 46;
const ZIP64_EXTRA_ID = 0x0001;
const NAME_DECODER = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** A refusal for an archive that is not a zip we can read. */
export function corruptZip(detail: string, entry?: string): PackageError {
  return new PackageError(
    "corrupt_archive",
    `Package archive is not a readable zip: ${detail}`,
    entry,
    "bad_request",
  );
}

function u64(view: DataView, at: number): number {
  const value = view.getUint32(at + 4, true) * 2 ** 32 + view.getUint32(at, true);
  if (!Number.isSafeInteger(value)) throw corruptZip("a zip64 field is out of range");
  return value;
}

/** The end of central directory record sits in the last 22 + 65,535 (comment) bytes. */
function findEndRecord(view: DataView): number {
  const lowest = Math.max(0, view.byteLength - EOCD_BYTES - 0xffff);
  for (let at = view.byteLength - EOCD_BYTES; at >= lowest; at--) {
    if (
      view.getUint32(at, true) === EOCD_SIGNATURE &&
      at + EOCD_BYTES + view.getUint16(at + 20, true) === view.byteLength
    ) return at;
  }
  throw corruptZip("no end of central directory record (the file is truncated or not a zip)");
}

interface EndRecord {
  at: number;
  disk: number;
  directoryDisk: number;
  entriesOnDisk: number;
  entries: number;
  size: number;
  offset: number;
}

function readEndRecord(view: DataView): EndRecord {
  const at = findEndRecord(view);
  const end: EndRecord = {
    at,
    disk: view.getUint16(at + 4, true),
    directoryDisk: view.getUint16(at + 6, true),
    entriesOnDisk: view.getUint16(at + 8, true),
    entries: view.getUint16(at + 10, true),
    size: view.getUint32(at + 12, true),
    offset: view.getUint32(at + 16, true),
  };
  const locator = at - 20;
  if (locator < 0 || view.getUint32(locator, true) !== ZIP64_LOCATOR_SIGNATURE) return end;
  const record = u64(view, locator + 8);
  if (record + 56 > locator || view.getUint32(record, true) !== ZIP64_EOCD_SIGNATURE) {
    throw corruptZip("the zip64 end of central directory record is missing or damaged");
  }
  return {
    at: record,
    disk: view.getUint32(record + 16, true),
    directoryDisk: view.getUint32(record + 20, true),
    entriesOnDisk: u64(view, record + 24),
    entries: u64(view, record + 32),
    size: u64(view, record + 40),
    offset: u64(view, record + 48),
  };
}

/** Applies the zip64 extra field: 64-bit values for the 32-bit fields that hold 0xFFFFFFFF. */
function applyZip64Extra(view: DataView, from: number, to: number, entry: CentralEntry): void {
  const wanted = (["size", "compressedSize", "localOffset"] as const).filter((field) =>
    entry[field] === 0xffffffff
  );
  if (wanted.length === 0) return;
  for (let at = from; at + 4 <= to;) {
    const id = view.getUint16(at, true);
    const length = view.getUint16(at + 2, true);
    if (id === ZIP64_EXTRA_ID && length >= wanted.length * 8 && at + 4 + length <= to) {
      wanted.forEach((field, i) => entry[field] = u64(view, at + 4 + i * 8));
      return;
    }
    at += 4 + length;
  }
  throw corruptZip("an entry needs a zip64 extra field and has none", entry.name);
}

function decodeName(bytes: Uint8Array): string {
  try {
    return NAME_DECODER.decode(bytes);
  } catch {
    const shown = new TextDecoder().decode(bytes);
    throw new PackageError(
      "invalid_unicode",
      `Package entry name is not valid UTF-8; re-create the zip with UTF-8 names: ${
        JSON.stringify(shown)
      }`,
      shown,
    );
  }
}

function readEntry(
  zip: Uint8Array,
  view: DataView,
  at: number,
  end: number,
): [CentralEntry, number] {
  if (at + CENTRAL_BYTES > end || view.getUint32(at, true) !== CENTRAL_SIGNATURE) {
    throw corruptZip("the central directory is damaged");
  }
  const nameLength = view.getUint16(at + 28, true);
  const extraLength = view.getUint16(at + 30, true);
  const next = at + CENTRAL_BYTES + nameLength + extraLength + view.getUint16(at + 32, true);
  if (next > end) throw corruptZip("the central directory is damaged");
  const nameBytes = zip.subarray(at + CENTRAL_BYTES, at + CENTRAL_BYTES + nameLength);
  const entry: CentralEntry = {
    name: decodeName(nameBytes),
    nameBytes,
    host: view.getUint8(at + 5),
    flags: view.getUint16(at + 8, true),
    method: view.getUint16(at + 10, true),
    crc: view.getUint32(at + 16, true),
    compressedSize: view.getUint32(at + 20, true),
    size: view.getUint32(at + 24, true),
    externalAttributes: view.getUint32(at + 38, true),
    localOffset: view.getUint32(at + 42, true),
  };
  const extraStart = at + CENTRAL_BYTES + nameLength;
  applyZip64Extra(view, extraStart, extraStart + extraLength, entry);
  return [entry, next];
}

/**
 * Reads every central directory entry of a zip held in memory, refusing damaged structure.
 * `maxEntries` is checked against the count the end record declares before any entry is read:
 * a zip64 record can declare millions of tiny entries, each of which would cost an object here.
 */
export function readCentralDirectory(zip: Uint8Array, maxEntries = Infinity): CentralDirectory {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const end = readEndRecord(view);
  if (end.entries > maxEntries) {
    throw new PackageError(
      "too_many_files",
      `Package archive declares ${end.entries} entries, more than the ${maxEntries} its file limit allows`,
      undefined,
      "too_large",
    );
  }
  if (end.disk !== 0 || end.directoryDisk !== 0 || end.entriesOnDisk !== end.entries) {
    throw corruptZip("split or spanned zip archives are not supported");
  }
  const directoryEnd = end.offset + end.size;
  if (directoryEnd > end.at || end.entries * CENTRAL_BYTES > end.size) {
    throw corruptZip(
      "the central directory lies outside the file (truncated, or data before the zip)",
    );
  }
  const entries: CentralEntry[] = [];
  let at = end.offset;
  for (let i = 0; i < end.entries; i++) {
    const [entry, next] = readEntry(zip, view, at, directoryEnd);
    entries.push(entry);
    at = next;
  }
  if (at !== directoryEnd) {
    throw corruptZip("the central directory size does not match its entries");
  }
  return { entries, offset: end.offset };
}
