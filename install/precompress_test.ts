import assert from "node:assert/strict";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { compressSync, isCompressible } from "./compress.ts";
import { Precompressor } from "./precompress.ts";

const text = (i: number) =>
  new TextEncoder().encode(`function f${i}(x) { return x * ${i}; }\n`.repeat(2000));

Deno.test("compressSync() keeps a variant only when it is clearly smaller", () => {
  const out = compressSync(text(1));
  assert.deepEqual(new Uint8Array(brotliDecompressSync(out.br!)), text(1));
  assert.deepEqual(new Uint8Array(gunzipSync(out.gzip!)), text(1));
  const random = crypto.getRandomValues(new Uint8Array(4096));
  assert.deepEqual(compressSync(random), { br: undefined, gzip: undefined });
});

Deno.test("isCompressible() picks text and uncompressed binary formats", () => {
  for (const type of ["text/html; charset=utf-8", "application/javascript", "image/svg+xml"]) {
    assert.ok(isCompressible(type), type);
  }
  for (const type of ["application/wasm", "application/manifest+json", "font/ttf"]) {
    assert.ok(isCompressible(type), type);
  }
  for (const type of ["image/png", "font/woff2", "application/zip", "video/mp4"]) {
    assert.ok(!isCompressible(type), type);
  }
});

Deno.test("Precompressor gives the same variants on worker threads as inline", async () => {
  const files = Array.from({ length: 24 }, (_, i) => text(i)); // > 1 MiB: workers start
  const pool = new Precompressor(1);
  try {
    const [first, second] = await Promise.all([
      pool.compressMany(files.slice(0, 12)),
      pool.compressMany(files.slice(12)),
    ]);
    for (const [i, result] of [...first, ...second].entries()) {
      assert.deepEqual(new Uint8Array(brotliDecompressSync(result.br!)), files[i]);
      assert.deepEqual(result.gzip!.byteLength, compressSync(files[i]).gzip!.byteLength);
    }
  } finally {
    pool.close();
  }
});
