import assert from "node:assert/strict";
import { sha256HexSync } from "../lib/sha256_sync.ts";
import { BlobWriter, CHUNK_BYTES, readBlob, readBlobs, storeBlob } from "./blobs.ts";
import { blobMetaKey } from "./keys.ts";

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

Deno.test("storeBlob writes concurrent uploads in shared commits, each whole when it resolves", async () => {
  using kv = await Deno.openKv(":memory:");
  const blobs = Array.from({ length: 30 }, (_, i) => {
    // One across chunks, one too big to share a batch (written on its own).
    const size = i === 7 ? 2 * CHUNK_BYTES + 5 : i === 9 ? 3 * 1024 * 1024 : 1000 + i;
    const bytes = bytesOf(size, i);
    return { sha256: sha256HexSync(bytes), bytes };
  });
  // A lone upload is written at once.
  await storeBlob(kv, "acct", blobs[0].sha256, blobs[0].bytes);
  assert.deepEqual(await readBlob(kv, "acct", blobs[0].sha256, 1000), blobs[0].bytes);

  // Uploads arriving together (as the CLI's eight at a time do) share commits...
  await Promise.all(
    blobs.slice(1).map(async ({ sha256, bytes }) => {
      await storeBlob(kv, "acct", sha256, bytes);
      // ...and each is whole the moment its own call resolves.
      assert.deepEqual(await readBlob(kv, "acct", sha256, bytes.byteLength), bytes);
    }),
  );
  const metas = await Promise.all(
    blobs.slice(1).map(({ sha256 }) => kv.get(blobMetaKey("acct", sha256))),
  );
  const commits = new Set(metas.map((entry) => entry.versionstamp));
  assert.ok(commits.size <= 4, `29 uploads took ${commits.size} commits`);

  // The same bytes again: already there, nothing rewritten.
  const before = metas[0].versionstamp;
  await storeBlob(kv, "acct", blobs[1].sha256, blobs[1].bytes);
  assert.equal((await kv.get(blobMetaKey("acct", blobs[1].sha256))).versionstamp, before);
});
