import assert from "node:assert/strict";
import { rawZip, streamOf, tgzOf, zipOf } from "../tests/fixtures/archives.ts";
import { DEFAULT_PACKAGE_LIMITS } from "./limits.ts";
import { detectFormat, readPackage } from "./read_package.ts";

Deno.test("detectFormat() maps the usual zip and gzip media types, parameters ignored", () => {
  for (const type of ["application/zip", "application/x-zip-compressed", "Application/ZIP"]) {
    assert.equal(detectFormat(type), "zip", type);
  }
  for (
    const type of [
      "application/gzip",
      "application/x-gzip",
      "application/x-tar+gzip",
      "application/x-compressed-tar",
      "application/gzip; charset=binary",
    ]
  ) assert.equal(detectFormat(type), "tar.gz", type);
  assert.equal(detectFormat("application/octet-stream"), null);
  assert.equal(detectFormat(null), null);
});

Deno.test("detectFormat() trusts magic bytes over the media type", () => {
  assert.equal(detectFormat("application/gzip", zipOf({ a: "a" })), "zip");
  assert.equal(detectFormat("application/octet-stream", rawZip([])), "zip");
  assert.equal(detectFormat(null, tgzOf({ a: "a" })), "tar.gz");
  assert.equal(detectFormat("application/zip", new Uint8Array([1, 2, 3])), "zip");
  assert.equal(detectFormat(null, new TextEncoder().encode("ustar")), null);
});

Deno.test("readPackage() reads both formats into the same entries", async () => {
  const files = { "index.html": "<!doctype html>", "js/app.js": "1" };
  for (const [bytes, format] of [[zipOf(files), "zip"], [tgzOf(files), "tar.gz"]] as const) {
    const paths = [];
    for await (const entry of readPackage(streamOf(bytes), format, DEFAULT_PACKAGE_LIMITS)) {
      paths.push(entry.path);
    }
    assert.deepEqual(paths, Object.keys(files), format);
  }
});
