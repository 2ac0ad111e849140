import assert from "node:assert/strict";
import { PackageError } from "../lib/errors.ts";
import { DEFAULT_PACKAGE_LIMITS, type PackageLimits } from "../package/limits.ts";
import { finalizePackagePaths } from "../package/paths.ts";
import { archiveFormat, readPackage } from "../package/read_package.ts";
import { toErrorStatus } from "../routes/errors.ts";
import { hostileArchives, noise, streamOf, tgzOf, zipOf } from "./fixtures/archives.ts";

/** Reads an upload the way the server does: format by media type, every entry, final paths. */
async function readUpload(
  bytes: Uint8Array,
  contentType: string,
  limits: PackageLimits = DEFAULT_PACKAGE_LIMITS,
) {
  const format = archiveFormat(contentType);
  assert.ok(format, `no format detected for ${contentType}`);
  const files = new Map<string, Uint8Array>();
  for await (const entry of readPackage(streamOf(bytes), format, limits)) {
    files.set(entry.path, entry.bytes);
  }
  const finalPaths = finalizePackagePaths([...files.keys()]);
  return new Map([...files].map(([raw, bytes]) => [finalPaths.get(raw)!, bytes]));
}

const corpus = hostileArchives();

for (const hostile of corpus) {
  Deno.test(`readPackage() refuses ${hostile.name}`, async () => {
    const limits = { ...DEFAULT_PACKAGE_LIMITS, ...hostile.limits };
    const error = await readUpload(hostile.bytes, hostile.contentType, limits).then(
      () => assert.fail("the archive was accepted"),
      (error: unknown) => error,
    );
    assert.ok(error instanceof PackageError, `not a PackageError: ${error}`);
    assert.deepEqual(
      { rule: error.rule, entry: error.entry, status: toErrorStatus(error.kind) },
      { rule: hostile.rule, entry: hostile.entry, status: hostile.status },
      error.message,
    );
  });
}

Deno.test("the hostile corpus holds at least 35 distinct attacks", () => {
  const names = corpus.map((hostile) => hostile.name);
  assert.ok(names.length >= 35, `${names.length} cases`);
  assert.equal(new Set(names).size, names.length);
});

Deno.test("an npm pack tarball is served without its package/ folder", async () => {
  const files = await readUpload(
    tgzOf({
      "package/index.html": "<!doctype html>",
      "package/assets/app.js": "console.log('hi')",
      "package/package.json": "{}",
    }),
    "application/gzip",
  );
  assert.deepEqual([...files.keys()].sort(), ["assets/app.js", "index.html", "package.json"]);
});

Deno.test("a zip with nested folders keeps its folders", async () => {
  const files = await readUpload(
    zipOf({
      "index.html": "<!doctype html>",
      "assets/js/app.js": "1",
      "assets/css/site.css": "2",
    }, { folders: true }),
    "application/zip",
  );
  assert.deepEqual([...files.keys()].sort(), [
    "assets/css/site.css",
    "assets/js/app.js",
    "index.html",
  ]);
});

Deno.test("both formats preserve every byte of every file", async () => {
  const content = {
    "index.html": "<!doctype html><meta charset=utf-8><p>café ☕",
    "img/noise.bin": noise(300_000),
    "empty.txt": "",
  };
  for (
    const [bytes, type] of [[zipOf(content), "application/zip"], [
      tgzOf(content),
      "application/gzip",
    ]] as const
  ) {
    const files = await readUpload(bytes, type);
    assert.equal(files.size, 3);
    assert.deepEqual(files.get("img/noise.bin"), content["img/noise.bin"]);
    assert.equal(new TextDecoder().decode(files.get("index.html")), content["index.html"]);
    assert.equal(files.get("empty.txt")?.length, 0);
  }
});
