import { createTarDecoder, type TarHeader } from "modern-tar";
import { PackageError } from "../lib/errors.ts";
import { UnpackBudget } from "./budget.ts";
import type { PackageLimits } from "./limits.ts";
import { archiveEntryName, quoteEntry, validatePackagePath } from "./paths.ts";
import type { PackageEntry } from "./entry.ts";

/**
 * Reads a tar.gz package as it streams in: counted upload → gzip → modern-tar's strict decoder
 * (pax and GNU long names are applied by it). Nothing is buffered beyond the file being read.
 */

/**
 * `DecompressionStream` inflates a whole input chunk at once: a 64 KiB chunk of a gzip of
 * zeros came out as one 50 MiB chunk. Feeding it 4 KiB at a time keeps one output chunk
 * under ~4 MiB (gzip tops out near 1032:1) at no measurable cost.
 */
const GZIP_STEP = 4096;

interface TarProgress {
  /** Compressed bytes received so far. */
  packed: number;
  /** True once the gzip stream ended cleanly, so a short body is the tar's own fault. */
  gzipEnded: boolean;
}

function countedTarStream(
  body: ReadableStream<Uint8Array>,
  budget: UnpackBudget,
  progress: TarProgress,
  signal: AbortSignal,
): ReadableStream<Uint8Array> {
  let streamBytes = 0;
  // Typed as BufferSource out: what DecompressionStream's writable side accepts.
  const counter = new TransformStream<Uint8Array, BufferSource>({
    transform(chunk, controller) {
      progress.packed += chunk.length;
      budget.checkArchiveBytes(progress.packed);
      // BufferSource excludes shared memory; an upload is never backed by it, but be exact.
      const owned = chunk.buffer instanceof ArrayBuffer
        ? chunk as Uint8Array<ArrayBuffer>
        : new Uint8Array(chunk);
      for (let at = 0; at < owned.length; at += GZIP_STEP) {
        controller.enqueue(owned.subarray(at, at + GZIP_STEP));
      }
    },
  });
  const unpacked = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      streamBytes += chunk.length;
      budget.checkStreamBytes(streamBytes, progress.packed);
      controller.enqueue(chunk);
    },
    flush() {
      progress.gzipEnded = true;
    },
  });
  return body
    .pipeThrough(counter, { signal })
    .pipeThrough(new DecompressionStream("gzip"), { signal })
    .pipeThrough(unpacked, { signal });
}

function corruptTar(error: unknown, entry?: string): PackageError {
  if (error instanceof PackageError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  const where = entry === undefined ? "" : `: ${quoteEntry(entry)}`;
  return new PackageError(
    "corrupt_archive",
    `Package archive is not a readable tar.gz (${reason})${where}`,
    entry,
    "bad_request",
  );
}

/** Refuses every entry type but regular files and folders, before looking at its name. */
function checkType(header: TarHeader): void {
  const type = header.type ?? "file";
  if (type === "file" || type === "directory") return;
  if (type === "symlink" || type === "link") {
    const kind = type === "symlink" ? "a symbolic link" : "a hard link";
    throw new PackageError(
      "link_entry",
      `Package entry is ${kind} (to ${quoteEntry(header.linkname ?? "")}); put the file ` +
        `itself in the package: ${quoteEntry(header.name)}`,
      header.name,
    );
  }
  throw new PackageError(
    "special_entry",
    `Package entry is not a regular file (${type}): ${quoteEntry(header.name)}`,
    header.name,
  );
}

async function readBody(
  header: TarHeader,
  body: ReadableStream<Uint8Array>,
  budget: UnpackBudget,
  progress: TarProgress,
): Promise<Uint8Array> {
  const path = header.name;
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let next: ReadableStreamReadResult<Uint8Array>;
    try {
      next = await reader.read();
    } catch (error) {
      if (!(error instanceof PackageError) && progress.gzipEnded) break;
      throw corruptTar(error, path);
    }
    if (next.done) break;
    size += next.value.length;
    budget.addBytes(path, size, next.value.length, progress.packed);
    chunks.push(next.value);
  }
  if (size !== header.size) {
    throw new PackageError(
      "size_mismatch",
      `Package entry holds ${size} bytes where its tar header declares ${header.size}: ${
        quoteEntry(path)
      }`,
      path,
    );
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/** Yields the regular files of a tar.gz package (folders skipped), in archive order. */
export async function* readTarGz(
  body: ReadableStream<Uint8Array>,
  limits: PackageLimits,
): AsyncGenerator<PackageEntry> {
  const budget = new UnpackBudget(limits);
  const progress: TarProgress = { packed: 0, gzipEnded: false };
  const teardown = new AbortController();
  const tar = countedTarStream(body, budget, progress, teardown.signal);
  const reader = tar.pipeThrough(createTarDecoder({ strict: true }), {
    signal: teardown.signal,
  }).getReader();
  try {
    for (;;) {
      let next: ReadableStreamReadResult<{ header: TarHeader; body: ReadableStream<Uint8Array> }>;
      try {
        next = await reader.read();
      } catch (error) {
        throw corruptTar(error);
      }
      if (next.done) return;
      const { header, body: entryBody } = next.value;
      const name = archiveEntryName(header.name);
      if (name === null) {
        await entryBody.cancel();
        continue;
      }
      if (header.type === "directory") {
        await entryBody.cancel();
        validatePackagePath(name, "folder");
        continue;
      }
      checkType(header);
      validatePackagePath(name);
      budget.addFile(name);
      budget.addDeclared(name, header.size);
      yield { path: name, bytes: await readBody(header, entryBody, budget, progress) };
    }
  } finally {
    // Tears down the whole pipe, the upload included, whether we failed or the caller stopped.
    teardown.abort();
    await reader.cancel().catch(() => {});
  }
}
