/**
 * A file of many KV chunks (over a MiB): the bytes, a Range across a chunk boundary, HEAD and
 * 304 must be exact, whether the blob is cached or too big for the cache.
 */
import assert from "node:assert/strict";
import { noise } from "./fixtures/archives.ts";
import { startServer } from "./helpers/server.ts";
import { liveApp } from "./helpers/fixtures.ts";
import { CHUNK_BYTES } from "../kv/blobs.ts";

const MiB = 1024 * 1024;
const BIG = noise(MiB + 5 * CHUNK_BYTES + 123, 7);

for (
  const [label, edgeCacheBytes] of [["cached", 64 * 1024 * 1024], [
    "uncached",
    2 * 1024 * 1024,
  ]] as const
) {
  Deno.test(`a file over ${MiB} bytes is served byte-exact, with ranges (${label})`, async () => {
    const server = await startServer({ edgeCacheBytes });
    try {
      await liveApp(server, "web", { "index.html": "<!doctype html>hi", "big.bin": BIG });
      for (let round = 0; round < 2; round++) {
        const whole = await server.edge("web", "/big.bin", {
          headers: { "accept-encoding": "br" },
        });
        assert.equal(whole.status, 200);
        assert.equal(whole.headers.get("content-length"), String(BIG.byteLength));
        assert.equal(whole.headers.get("transfer-encoding"), null, "not chunked");
        assert.ok(whole.headers.get("etag"));
        assert.equal(whole.headers.get("accept-ranges"), "bytes");
        assert.equal(whole.bytes.byteLength, BIG.byteLength);
        assert.deepEqual(whole.bytes, BIG);

        // Spans the boundary between the second and third chunks.
        const start = 2 * CHUNK_BYTES - 100;
        const end = 2 * CHUNK_BYTES + 99;
        const part = await server.edge("web", "/big.bin", {
          headers: { range: `bytes=${start}-${end}` },
        });
        assert.equal(part.status, 206);
        assert.equal(part.headers.get("content-range"), `bytes ${start}-${end}/${BIG.byteLength}`);
        assert.equal(part.headers.get("content-length"), "200");
        assert.deepEqual(part.bytes, BIG.subarray(start, end + 1));

        // Several chunks, starting inside one and ending at the very last byte.
        const tail = await server.edge("web", "/big.bin", {
          headers: { range: `bytes=${CHUNK_BYTES + 1}-` },
        });
        assert.equal(tail.status, 206);
        assert.deepEqual(tail.bytes, BIG.subarray(CHUNK_BYTES + 1));
        const first = await server.edge("web", "/big.bin", { headers: { range: "bytes=0-0" } });
        assert.deepEqual(first.bytes, BIG.subarray(0, 1));

        const head = await server.edge("web", "/big.bin", { method: "HEAD" });
        assert.equal(head.status, 200);
        assert.equal(head.bytes.byteLength, 0);
        const names = (res: typeof whole) =>
          [...res.headers].filter(([name]) => name !== "date" && name !== "x-request-id");
        assert.deepEqual(names(head), names(whole));

        const cached = await server.edge("web", "/big.bin", {
          headers: { "if-none-match": whole.headers.get("etag")! },
        });
        assert.equal(cached.status, 304);
        assert.equal(cached.bytes.byteLength, 0);
      }
    } finally {
      await server.close();
    }
  });
}
