import assert from "node:assert/strict";
import { BlobCache, type BlobUser } from "./blob_cache.ts";

const bytes = (size: number, fill = 1) => new Uint8Array(size).fill(fill);

Deno.test("BlobCache keeps resident bytes within its budget, giving used blobs a second chance", async () => {
  const cache = new BlobCache(1000);
  const slots = [0, 1, 2, 3].map((i) => cache.slot("acct", `sha${i}`, 250));
  for (const slot of slots) assert.ok(await cache.load(slot, () => Promise.resolve(bytes(250))));
  assert.equal(cache.bytes, 1000);
  // All four were used since loading: the hand clears their marks, then evicts the oldest.
  slots[1].used = true;
  const extra = cache.slot("acct", "sha4", 250);
  await cache.load(extra, () => Promise.resolve(bytes(250)));
  assert.ok(cache.bytes <= 1000);
  assert.equal(slots[0].base, null, "the oldest went");
  slots[2].used = true;
  await cache.load(cache.slot("acct", "sha5", 250), () => Promise.resolve(bytes(250)));
  assert.ok(slots[2].base !== null, "a used blob survives the next pass");
  assert.ok(cache.bytes <= 1000);
});

Deno.test("BlobCache drops the templates made from an evicted blob", async () => {
  const cache = new BlobCache(500);
  const slot = cache.slot("acct", "a", 300);
  await cache.load(slot, () => Promise.resolve(bytes(300, 7)));
  const user: BlobUser = { template: slot.base!.clone() };
  cache.use(slot, user);
  assert.deepEqual(await slot.base!.clone().bytes(), bytes(300, 7));
  slot.used = false;
  await cache.load(cache.slot("acct", "b", 300), () => Promise.resolve(bytes(300)));
  assert.equal(slot.base, null);
  assert.equal(user.template, null);
});

Deno.test("BlobCache reads a blob once for concurrent requests, and refuses huge ones", async () => {
  const cache = new BlobCache(4000);
  const slot = cache.slot("acct", "c", 100);
  let reads = 0;
  const read = () => {
    reads++;
    return Promise.resolve(bytes(100));
  };
  await Promise.all([cache.load(slot, read), cache.load(slot, read), cache.load(slot, read)]);
  assert.equal(reads, 1);
  assert.equal(cache.slot("acct", "c", 100), slot, "one slot per blob");
  assert.ok(!cache.cacheable(cache.slot("acct", "d", 1001)));
  assert.ok(!await cache.load(cache.slot("acct", "e", 10), () => Promise.resolve(null)));
});

Deno.test("BlobCache frees a read buffer once copied, and an evicted body after pending answers", async () => {
  const cache = new BlobCache(500);
  const slot = cache.slot("acct", "a", 300);
  const read = bytes(300, 7);
  await cache.load(slot, () => Promise.resolve(read));
  assert.equal(read.byteLength, 0, "the buffer read from KV is freed once the body holds a copy");
  // A response made before eviction and already handed over holds the body's bytes.
  const sent = await slot.base!.clone().bytes();
  assert.equal(sent.byteLength, 300);
  slot.used = false;
  await cache.load(cache.slot("acct", "b", 300), () => Promise.resolve(bytes(300)));
  assert.equal(slot.base, null);
  assert.equal(sent.byteLength, 300, "not freed while answers made in this turn may be pending");
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(sent.byteLength, 0, "freed at once after, not at the next garbage collection");
});

Deno.test("BlobCache gives every waiter the body it loaded, even if evicted before it runs", async () => {
  const cache = new BlobCache(500);
  const slot = cache.slot("acct", "a", 300);
  let finish!: (bytes: Uint8Array) => void;
  const read = () => new Promise<Uint8Array>((resolve) => (finish = resolve));
  const waiters = [cache.load(slot, read), cache.load(slot, read)];
  // The first blob arrives, then a second one whose admission evicts it (both were just used,
  // so the clock clears both marks and takes the oldest), all before the waiters run.
  finish(bytes(300, 7));
  const evicting = cache.load(cache.slot("acct", "b", 300), () => Promise.resolve(bytes(300, 9)));
  const bodies = await Promise.all(waiters);
  await evicting;
  assert.equal(slot.base, null, "evicted before the waiters ran");
  for (const body of bodies) assert.deepEqual(await body!.clone().bytes(), bytes(300, 7));
});
