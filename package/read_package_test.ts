import assert from "node:assert/strict";
import { streamOf, tgzOf, zipOf } from "../tests/fixtures/archives.ts";
import { DEFAULT_PACKAGE_LIMITS } from "./limits.ts";
import { ARCHIVE_MEDIA_TYPES, archiveFormat, readPackage } from "./read_package.ts";

Deno.test("archiveFormat() maps every accepted media type, parameters and case ignored", () => {
  for (const [type, format] of Object.entries(ARCHIVE_MEDIA_TYPES)) {
    assert.equal(archiveFormat(type), format, type);
    assert.equal(archiveFormat(`${type.toUpperCase()}; charset=binary`), format, type);
  }
  assert.equal(archiveFormat("application/x-tgz"), "tar.gz");
  assert.equal(archiveFormat("application/octet-stream"), null);
  assert.equal(archiveFormat("toString"), null);
  assert.equal(archiveFormat(null), null);
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
