/**
 * State belongs to a Switchyard instance: two `createSwitchyard` in one process, each on its own
 * KV handle, share no change listener, no upload queue and no cache. Each edge serves only its
 * own data, even for the same slug, and a change made through one reaches nothing of the other.
 */
import assert from "node:assert/strict";
import { startServer } from "./helpers/server.ts";
import { commitWrappedKv, install, liveApp, promote } from "./helpers/fixtures.ts";
import { type Change, onChange } from "../kv/changes.ts";
import { storeBlob } from "../kv/blobs.ts";
import { sha256HexSync } from "../lib/sha256_sync.ts";

/** `kv` whose commits wait until `gate` resolves: an instance stuck on a slow store. */
function gatedKv(kv: Deno.Kv, gate: Promise<void>): Deno.Kv {
  return commitWrappedKv(kv, async (commit) => {
    await gate;
    return await commit();
  });
}

Deno.test("a change in one instance reaches nothing of another; each edge serves its own", async () => {
  const a = await startServer({ revalidateMs: 60_000 });
  const b = await startServer({ revalidateMs: 60_000 });
  const heard: { a: Change[]; b: Change[] } = { a: [], b: [] };
  const stopA = onChange(a.kv, (change) => heard.a.push(change));
  const stopB = onChange(b.kv, (change) => heard.b.push(change));
  try {
    await liveApp(a, "shop", { "index.html": "a one" });
    await liveApp(b, "shop", { "index.html": "b one" });
    heard.a.length = heard.b.length = 0;
    assert.equal((await a.edge("shop", "/")).text(), "a one");
    assert.equal((await b.edge("shop", "/")).text(), "b one", "same slug, its own app");

    await install(a, "shop", { "index.html": "a two" });
    await promote(a, "shop", 2);
    assert.ok(heard.a.some((change) => change.kind === "live"), "a hears its promote");
    assert.equal((await a.edge("shop", "/")).text(), "a two", "and its edge serves it at once");
    // A deleted app and a new one under the same slug: host changes, by slug.
    assert.equal((await a.api("DELETE", "/apps/shop")).status, 204);
    await liveApp(a, "shop", { "index.html": "a three" });
    assert.ok(heard.a.some((change) => change.kind === "host"));
    assert.deepEqual(heard.b, [], "b hears nothing of a's changes");
    assert.equal((await b.edge("shop", "/")).text(), "b one");
    assert.equal((await a.edge("shop", "/")).text(), "a three");
  } finally {
    stopA();
    stopB();
    await a.close();
    await b.close();
  }
});

Deno.test("two instances' upload queues are separate: one stuck on KV never holds the other", async () => {
  using kvA = await Deno.openKv(":memory:");
  using kvB = await Deno.openKv(":memory:");
  const gate = Promise.withResolvers<void>();
  const stuck = gatedKv(kvA, gate.promise);
  const bytes = new TextEncoder().encode("the same file, the same account");
  const sha256 = sha256HexSync(bytes);
  // Same account id and blob on both: only the handle tells the queues apart.
  const first = storeBlob(stuck, "acct", sha256, bytes);
  const queued = storeBlob(stuck, "acct", sha256HexSync(new Uint8Array([1])), new Uint8Array([1]));
  // Were the queues shared, b's upload would wait behind a's stuck commit: race it against
  // a deadline, so that shows as a failure rather than a hung test.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const outcome = await Promise.race([
    storeBlob(kvB, "acct", sha256, bytes).then(() => "stored"),
    new Promise((resolve) => timer = setTimeout(resolve, 2_000, "held up")),
  ]);
  clearTimeout(timer);
  assert.equal(outcome, "stored", "b's upload waited on a's queue");
  gate.resolve();
  await Promise.all([first, queued]);
});
