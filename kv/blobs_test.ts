import assert from "node:assert/strict";
import { sha256HexSync } from "../lib/crypto.ts";
import { BlobWriter, CHUNK_BYTES, readBlob, readBlobs } from "./blobs.ts";

function bytesOf(size: number, seed: number): Uint8Array {
  return new Uint8Array(size).map((_, i) => (i * 31 + seed) & 255);
}

Deno.test("readBlobs answers every blob whole and in order, and null for a missing one", async () => {
  using kv = await Deno.openKv(":memory:");
  // Small files that share a getMany, and files across chunk boundaries (one exactly on one).
  const sizes = [
    1,
    300,
    CHUNK_BYTES,
    CHUNK_BYTES + 1,
    3 * CHUNK_BYTES + 17,
    0,
    12,
    25 * CHUNK_BYTES,
  ];
  const blobs = sizes.map((size, i) => {
    const bytes = bytesOf(size, i);
    return { sha256: sha256HexSync(bytes), size, bytes };
  });
  const writer = new BlobWriter(kv, "acct");
  for (const blob of blobs) await writer.add(blob.sha256, blob.bytes);
  await writer.flush();

  const missing = { sha256: "f".repeat(64), size: 40 };
  const wanted = [...blobs.slice(0, 4), missing, ...blobs.slice(4)];
  const read = await readBlobs(kv, "acct", wanted);
  assert.equal(read.length, wanted.length);
  assert.equal(read[4], null);
  for (const [i, blob] of wanted.entries()) {
    if (blob === missing) continue;
    assert.deepEqual(read[i], (blob as typeof blobs[number]).bytes, `blob of ${blob.size} bytes`);
  }
  assert.deepEqual(await readBlob(kv, "acct", blobs[4].sha256, blobs[4].size), blobs[4].bytes);
});

Deno.test("readBlobs answers null for a blob whose stored chunks disagree with its size", async () => {
  using kv = await Deno.openKv(":memory:");
  const bytes = bytesOf(CHUNK_BYTES + 50, 7);
  const sha256 = sha256HexSync(bytes);
  const writer = new BlobWriter(kv, "acct");
  await writer.add(sha256, bytes);
  await writer.flush();
  const [short, long, right] = await readBlobs(kv, "acct", [
    { sha256, size: CHUNK_BYTES + 10 },
    { sha256, size: CHUNK_BYTES + 90 },
    { sha256, size: CHUNK_BYTES + 50 },
  ]);
  assert.equal(short, null);
  assert.equal(long, null);
  assert.deepEqual(right, bytes);
});
