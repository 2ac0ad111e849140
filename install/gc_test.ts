import assert from "node:assert/strict";
import { ensureDefaultAccount } from "../kv/accounts.ts";
import { createApp } from "../kv/apps.ts";
import { BlobWriter, presentBlobs } from "../kv/blobs.ts";
import { collectGarbage } from "./gc.ts";
import { blobMetaKey, gcGenerationKey, gcLockKey, manifestPrefix } from "../kv/keys.ts";
import { finalizeVersion } from "./manifest.ts";
import { writeManifest } from "../kv/manifests.ts";
import { recordVersion } from "../kv/versions.ts";
import { sha256Hex } from "../lib/crypto.ts";

const HOUR = 3_600_000;

async function blob(kv: Deno.Kv, accountId: string, text: string, size = text.length) {
  const bytes = new TextEncoder().encode(text.padEnd(size, "."));
  const sha256 = await sha256Hex(bytes);
  const writer = new BlobWriter(kv, accountId);
  await writer.add(sha256, bytes);
  await writer.flush();
  return { sha256, size: bytes.byteLength };
}

Deno.test("collectGarbage() deletes unreferenced blobs only on a sweep after the grace period", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const account = await ensureDefaultAccount(kv);
    const app = await createApp(kv, account.id, { slug: "gc", name: "GC" }, "localhost");
    const kept = await blob(kv, account.id, "kept");
    const orphan = await blob(kv, account.id, "orphan", 200_000); // several chunks
    const ref = await writeManifest(kv, app.id, [{
      path: "index.html",
      content_type: "text/html",
      ...kept,
    }]);
    await recordVersion(kv, app, { createdBy: "t", status: "ready", fileCount: 1, bytes: 4 }, ref);
    const now = Date.now();

    const first = await collectGarbage(kv, [account.id], { now });
    assert.equal(first?.candidates, 1);
    assert.equal(first?.blobs, 0, "a fresh orphan may belong to an install in flight");
    assert.equal((await presentBlobs(kv, account.id, [orphan.sha256])).size, 1);

    const soon = await collectGarbage(kv, [account.id], { now: now + HOUR / 2 });
    assert.equal(soon?.blobs, 0);

    const later = await collectGarbage(kv, [account.id], { now: now + 2 * HOUR });
    assert.equal(later?.blobs, 1);
    assert.equal(later?.chunks, 4);
    assert.deepEqual([...await presentBlobs(kv, account.id, [kept.sha256, orphan.sha256])], [
      kept.sha256,
    ]);
  } finally {
    kv.close();
  }
});

Deno.test("collectGarbage() removes manifest pages no version names once they are old", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const account = await ensureDefaultAccount(kv);
    const app = await createApp(kv, account.id, { slug: "pages", name: "Pages" }, "localhost");
    const orphan = await writeManifest(kv, app.id, [{
      path: "a",
      sha256: "a".repeat(64),
      size: 1,
      content_type: "x",
    }]);
    const count = async () =>
      (await Array.fromAsync(kv.list({ prefix: manifestPrefix(app.id, orphan.manifest_id) })))
        .length;
    await collectGarbage(kv, [account.id]);
    assert.equal(await count(), 1, "a young manifest may be about to get its version");
    const report = await collectGarbage(kv, [account.id], { now: Date.now() + 2 * HOUR });
    assert.equal(report?.manifestPages, 1);
    assert.equal(await count(), 0);
  } finally {
    kv.close();
  }
});

Deno.test("only one sweep runs at a time", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const account = await ensureDefaultAccount(kv);
    const [a, b] = await Promise.all([
      collectGarbage(kv, [account.id]),
      collectGarbage(kv, [account.id]),
    ]);
    assert.equal([a, b].filter((r) => r === null).length, 1);
  } finally {
    kv.close();
  }
});

Deno.test("a finalize during a sweep waits for it and then finds what the sweep deleted", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const account = await ensureDefaultAccount(kv);
    const app = await createApp(kv, account.id, { slug: "race", name: "Race" }, "localhost");
    const old = await blob(kv, account.id, "an old blob no version names");
    const ref = await writeManifest(kv, app.id, [{
      path: "index.html",
      content_type: "text/html",
      ...old,
    }]);
    await recordVersion(kv, app, {
      createdBy: "t",
      status: "uploading",
      fileCount: 1,
      bytes: old.size,
    }, ref);
    // A sweep has decided the blob is garbage and holds the lock while it deletes.
    await kv.atomic().set(gcLockKey(), Date.now()).sum(gcGenerationKey(), 1n).commit();
    const finalizing = finalizeVersion(kv, app, 1).then(() => "ready", (error) => error.code);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await kv.delete(blobMetaKey(account.id, old.sha256));
    await kv.delete(gcLockKey());
    assert.equal(await finalizing, "blobs_missing");
  } finally {
    kv.close();
  }
});
