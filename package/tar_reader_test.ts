import assert from "node:assert/strict";
import { packTar } from "modern-tar";
import { PackageError } from "../lib/errors.ts";
import {
  gzipOf,
  noise,
  type RawTarEntry,
  streamOf,
  tarOf,
  tgzOf,
} from "../tests/fixtures/archives.ts";
import { DEFAULT_PACKAGE_LIMITS, type PackageLimits } from "./limits.ts";
import { readTarGz } from "./tar_reader.ts";

async function untar(body: Uint8Array | ReadableStream<Uint8Array>, limits = {}) {
  const stream = body instanceof Uint8Array ? streamOf(body) : body;
  const files = new Map<string, Uint8Array>();
  for await (const entry of readTarGz(stream, { ...DEFAULT_PACKAGE_LIMITS, ...limits })) {
    files.set(entry.path, entry.bytes);
  }
  return files;
}

async function refusal(
  body: Uint8Array | ReadableStream<Uint8Array>,
  limits: Partial<PackageLimits> = {},
) {
  try {
    await untar(body, limits);
  } catch (error) {
    assert.ok(error instanceof PackageError, `not a PackageError: ${error}`);
    return error;
  }
  assert.fail("the tar.gz was accepted");
}

const text = (bytes?: Uint8Array) => new TextDecoder().decode(bytes);

Deno.test("readTarGz() reads what modern-tar packs, pax long names included", async () => {
  const longName = `assets/${"deep/".repeat(40)}app.js`;
  const tar = await packTar([
    { header: { name: "package/", type: "directory", size: 0 } },
    { header: { name: "package/index.html", size: 2 }, body: "hi" },
    { header: { name: longName, size: 3 }, body: "abc" },
  ]);
  const files = await untar(gzipOf(tar));
  assert.deepEqual([...files.keys()], ["package/index.html", longName]);
  assert.equal(text(files.get(longName)), "abc");
});

Deno.test("readTarGz() applies GNU long names", async () => {
  const name = `${"n".repeat(120)}/index.html`;
  const files = await untar(gzipOf(tarOf([{ name: "short", data: "x", gnuLongName: name }])));
  assert.deepEqual([...files.keys()], [name]);
});

Deno.test("readTarGz() skips folders but still refuses a folder that escapes", async () => {
  const files = await untar(tgzOf([{ name: "a/", type: "directory" }, { name: "a/b", data: "b" }]));
  assert.deepEqual([...files.keys()], ["a/b"]);
  const error = await refusal(tgzOf([{ name: "../a/", type: "directory" }]));
  assert.deepEqual([error.rule, error.entry], ["path_escape", "../a/"]);
});

Deno.test("readTarGz() reads a contiguous file (typeflag 7) as a regular file", async () => {
  const files = await untar(tgzOf([{ name: "c.bin", data: "contiguous", type: "7" }]));
  assert.equal(text(files.get("c.bin")), "contiguous");
});

Deno.test("readTarGz() keeps every byte when the upload arrives in odd chunks", async () => {
  const data = noise(300_000);
  const tgz = tgzOf({ "index.html": "hi", "x.bin": data, "empty": "" });
  const files = await untar(streamOf(tgz, 997));
  assert.deepEqual(files.get("x.bin"), data);
  assert.equal(files.get("empty")?.length, 0);
});

Deno.test("readTarGz() refuses a tar.gz whose gzip trailer is damaged", async () => {
  const tgz = tgzOf({ "index.html": "hi" });
  tgz[tgz.length - 5] ^= 0xff;
  const error = await refusal(tgz);
  assert.deepEqual([error.rule, error.kind], ["corrupt_archive", "bad_request"]);
});

Deno.test("readTarGz() refuses data after the end marker that is not zeros", async () => {
  const tar = tarOf([{ name: "index.html", data: "hi" }], { after: new Uint8Array(512).fill(7) });
  assert.equal((await refusal(gzipOf(tar))).rule, "corrupt_archive");
});

/** A tar.gz that never ends: after `before`, a header promising 8 GiB of noise, and noise. */
function endlessUpload(onCancel: () => void, before: RawTarEntry[] = []) {
  const head = tarOf([...before, { name: "huge.bin", size: 0o77777777777 }], { end: false });
  let sent = false;
  const tar = new ReadableStream<Uint8Array<ArrayBuffer>>({
    pull(controller) {
      controller.enqueue(sent ? noise(16 * 1024, Math.random() * 2 ** 32) : head);
      sent = true;
    },
    cancel: onCancel,
  });
  return tar.pipeThrough(new CompressionStream("gzip"));
}

const HUGE_FILES = { fileBytes: 2 ** 34, unpackedBytes: 2 ** 34 };

Deno.test("readTarGz() stops reading an endless upload at archiveBytes", async () => {
  let cancelled = false;
  const upload = endlessUpload(() => cancelled = true);
  const error = await refusal(upload, { ...HUGE_FILES, archiveBytes: 256 * 1024 });
  assert.deepEqual([error.rule, error.kind], ["archive_too_large", "too_large"]);
  assert.ok(cancelled, "the upload was not cancelled");
});

Deno.test("readTarGz() cancels the upload when the caller stops early", async () => {
  let cancelled = false;
  const upload = endlessUpload(() => cancelled = true, [{ name: "index.html", data: "hi" }]);
  const paths = [];
  for await (const entry of readTarGz(upload, { ...DEFAULT_PACKAGE_LIMITS, ...HUGE_FILES })) {
    paths.push(entry.path);
    break;
  }
  assert.deepEqual(paths, ["index.html"]);
  // Cancellation travels up the pipe chain asynchronously; give it a few turns.
  for (let turn = 0; turn < 50 && !cancelled; turn++) {
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  assert.ok(cancelled, "the upload was not cancelled");
});

Deno.test("readTarGz() refuses a file past the limit from its header, before reading it", async () => {
  const error = await refusal(tgzOf([{ name: "big.bin", data: "x", size: 2048 }]), {
    fileBytes: 1024,
  });
  assert.deepEqual([error.rule, error.entry, error.kind], [
    "file_too_large",
    "big.bin",
    "too_large",
  ]);
});
