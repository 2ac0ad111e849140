import assert from "node:assert/strict";
import { zipSync } from "fflate";
import { PackageError } from "../lib/errors.ts";
import {
  bytesOf,
  deflateRuns,
  noise,
  rawZip,
  type RawZipEntry,
  runsChecksum,
  streamOf,
  zipOf,
} from "../tests/fixtures/archives.ts";
import { crc32 } from "./crc32.ts";
import { DEFAULT_PACKAGE_LIMITS, type PackageLimits } from "./limits.ts";
import { readZip } from "./zip_reader.ts";

async function unzip(bytes: Uint8Array, limits: Partial<PackageLimits> = {}) {
  const files: [string, string][] = [];
  for await (const entry of readZip(streamOf(bytes), { ...DEFAULT_PACKAGE_LIMITS, ...limits })) {
    files.push([entry.path, new TextDecoder().decode(entry.bytes)]);
  }
  return files;
}

async function refusal(bytes: Uint8Array | ReadableStream<Uint8Array>, limits = {}) {
  const body = bytes instanceof Uint8Array ? streamOf(bytes) : bytes;
  try {
    for await (const _ of readZip(body, { ...DEFAULT_PACKAGE_LIMITS, ...limits }));
  } catch (error) {
    assert.ok(error instanceof PackageError, `not a PackageError: ${error}`);
    return error;
  }
  assert.fail("the zip was accepted");
}

Deno.test("crc32() matches the standard check value", () => {
  assert.equal(crc32(bytesOf("123456789")), 0xcbf43926);
  assert.equal(crc32(new Uint8Array(0)), 0);
});

Deno.test("readZip() yields stored and deflated files in central directory order", async () => {
  const files = { "index.html": "<!doctype html>", "js/app.js": "console.log(1)".repeat(50) };
  for (const level of [0, 9] as const) {
    assert.deepEqual(await unzip(zipOf(files, { level })), Object.entries(files));
  }
});

Deno.test("readZip() skips folder entries", async () => {
  const zip = zipOf({ "a/b/c.txt": "c", "index.html": "i" }, { folders: true });
  assert.deepEqual(await unzip(zip), [["a/b/c.txt", "c"], ["index.html", "i"]]);
});

Deno.test("readZip() reads Unix permissions on regular files as plain files", async () => {
  const zip = zipSync({ "run.sh": [bytesOf("#!/bin/sh"), { os: 3, attrs: 0o100755 << 16 }] });
  assert.deepEqual(await unzip(zip), [["run.sh", "#!/bin/sh"]]);
});

Deno.test("readZip() reads zip64 records and extra fields", async () => {
  const entries: RawZipEntry[] = [{ name: "index.html", data: "hi" }, {
    name: "big.bin",
    data: "x".repeat(5000),
  }];
  assert.deepEqual(await unzip(rawZip(entries, { zip64: true })), [
    ["index.html", "hi"],
    ["big.bin", "x".repeat(5000)],
  ]);
});

Deno.test("readZip() reads entries whose sizes follow in a data descriptor", async () => {
  const zip = rawZip([{ name: "index.html", data: "streamed", descriptor: true }]);
  assert.deepEqual(await unzip(zip), [["index.html", "streamed"]]);
});

Deno.test("readZip() finds the end record behind an archive comment", async () => {
  const zip = zipOf({ "index.html": "hi" });
  const comment = bytesOf("made by hand, PK\u0005\u0006 inside");
  const withComment = new Uint8Array(zip.length + comment.length);
  withComment.set(zip);
  withComment.set(comment, zip.length);
  new DataView(withComment.buffer).setUint16(zip.length - 2, comment.length, true);
  assert.deepEqual(await unzip(withComment), [["index.html", "hi"]]);
});

Deno.test("readZip() keeps every byte of incompressible data", async () => {
  const data = noise(300_000);
  for await (const entry of readZip(streamOf(zipOf({ "x.bin": data })), DEFAULT_PACKAGE_LIMITS)) {
    assert.deepEqual(entry.bytes, data);
  }
});

Deno.test("readZip() stops reading an endless upload at archiveBytes", async () => {
  let pulled = 0;
  let cancelled = false;
  const endless = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled += 1024;
      controller.enqueue(new Uint8Array(1024));
    },
    cancel() {
      cancelled = true;
    },
  });
  const error = await refusal(endless, { archiveBytes: 64 * 1024 });
  assert.deepEqual([error.rule, error.kind], ["archive_too_large", "too_large"]);
  assert.ok(pulled <= 66 * 1024, `${pulled} bytes pulled`);
  assert.ok(cancelled);
});

Deno.test("readZip() accepts an archive of exactly archiveBytes", async () => {
  const zip = zipOf({ "index.html": "hi" });
  assert.equal((await unzip(zip, { archiveBytes: zip.length })).length, 1);
});

Deno.test("readZip() refuses a declared size past the file limit before inflating", async () => {
  const zip = rawZip([{ name: "big.bin", data: "tiny", size: 30 * 1024 * 1024 }]);
  const error = await refusal(zip);
  assert.deepEqual([error.rule, error.entry], ["file_too_large", "big.bin"]);
});

Deno.test("readZip() refuses a bomb even when it declares its true size", async () => {
  const zeros = 24 * 1024 * 1024;
  const zip = rawZip([
    { name: "index.html", data: "hi" },
    { name: "zeros.bin", deflated: deflateRuns([zeros]), ...runsChecksum([zeros]) },
  ]);
  const error = await refusal(zip);
  assert.deepEqual([error.rule, error.entry, error.kind], [
    "compression_ratio",
    "zeros.bin",
    "too_large",
  ]);
});

Deno.test("readZip() lets highly compressible files pass below the ratio floor", async () => {
  const files = await unzip(zipOf({ "zeros.bin": new Uint8Array(512 * 1024) }, { level: 9 }));
  assert.equal(files[0][1].length, 512 * 1024);
});

Deno.test("readZip() refuses a lying size whichever way the entry is inflated", async () => {
  // After 300 KB of packed data the steps are large, so the small entry is inflated whole.
  for (const before of [[], [{ name: "noise.bin", data: noise(300_000) }]]) {
    const zip = rawZip([...before, { name: "photo.jpg", data: noise(5000), size: 100 }]);
    const error = await refusal(zip);
    assert.deepEqual([error.rule, error.entry], ["size_mismatch", "photo.jpg"]);
  }
});

Deno.test("readZip() refuses a zip with data before it (self-extracting)", async () => {
  const zip = zipOf({ "index.html": "hi" });
  const prefixed = new Uint8Array(zip.length + 100);
  prefixed.set(zip, 100);
  assert.equal((await refusal(prefixed)).rule, "corrupt_archive");
});

Deno.test("readZip() refuses a zip that is only an end record with a damaged count", async () => {
  const zip = rawZip([]);
  new DataView(zip.buffer).setUint16(10, 3, true);
  new DataView(zip.buffer).setUint16(8, 3, true);
  assert.equal((await refusal(zip)).rule, "corrupt_archive");
});
