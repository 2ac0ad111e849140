import assert from "node:assert/strict";
import { createApp, deleteApp, findAppBySlug } from "./apps.ts";
import { ensureDefaultAccount } from "./accounts.ts";
import { deleteVersion, listVersions, recordVersion, versionsPresent } from "./versions.ts";
import { addSchedule, promote } from "./live.ts";
import { ConflictError } from "../lib/errors.ts";

const ref = { manifest_id: "m", manifest_pages: 0 };
const input = { createdBy: "t", status: "ready" as const, fileCount: 0, bytes: 0 };

Deno.test("recordVersion() numbers 1, 2, 3… even when creates race", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const account = await ensureDefaultAccount(kv);
    const app = await createApp(kv, account.id, { slug: "race", name: "Race" }, "localhost");
    const made = await Promise.all(
      Array.from({ length: 20 }, () => recordVersion(kv, app, input, ref)),
    );
    assert.deepEqual(
      made.map((v) => v.number).sort((a, b) => a - b),
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    const page = await listVersions(kv, app, { limit: 5 });
    assert.deepEqual(page.items.map((v) => v.number), [20, 19, 18, 17, 16]);
    assert.ok(page.next_cursor);
    const next = await listVersions(kv, app, { limit: 5, cursor: page.next_cursor });
    assert.equal(next.items[0].number, 15);
  } finally {
    kv.close();
  }
});

Deno.test("deleteVersion() refuses the live version and frees others", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const account = await ensureDefaultAccount(kv);
    const app = await createApp(kv, account.id, { slug: "del", name: "Del" }, "localhost");
    await recordVersion(kv, app, input, ref);
    await recordVersion(kv, app, input, ref);
    await promote(kv, app, { version: 1, by: "t" });
    await assert.rejects(deleteVersion(kv, app, 1), ConflictError);
    await deleteVersion(kv, app, 2);
    assert.deepEqual((await listVersions(kv, app, {})).items.map((v) => v.number), [1]);
  } finally {
    kv.close();
  }
});

Deno.test("createApp() keeps slugs unique across accounts; deleteApp() frees the slug", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const account = await ensureDefaultAccount(kv);
    const results = await Promise.allSettled(
      Array.from(
        { length: 10 },
        () => createApp(kv, account.id, { slug: "one", name: "One" }, "localhost"),
      ),
    );
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
    await deleteApp(kv, account.id, "one");
    assert.equal(await findAppBySlug(kv, "one"), null);
    await createApp(kv, account.id, { slug: "one", name: "Again" }, "localhost");
  } finally {
    kv.close();
  }
});

Deno.test("deleteVersion() frees the version a due scheduled change replaced", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const account = await ensureDefaultAccount(kv);
    const app = await createApp(kv, account.id, { slug: "sched", name: "Sched" }, "localhost");
    await recordVersion(kv, app, input, ref);
    await recordVersion(kv, app, input, ref);
    await promote(kv, app, { version: 1, by: "t" });
    await addSchedule(kv, app, {
      at: new Date(Date.now() + 100).toISOString(),
      version: 2,
      by: "t",
    });
    await assert.rejects(deleteVersion(kv, app, 2), ConflictError, "a pending target is in use");
    await new Promise((resolve) => setTimeout(resolve, 150));
    await deleteVersion(kv, app, 1);
    await assert.rejects(deleteVersion(kv, app, 2), ConflictError, "the live one is in use");
  } finally {
    kv.close();
  }
});

Deno.test("versionsPresent() answers in order across getMany batches, false for deleted ones", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const account = await ensureDefaultAccount(kv);
    const app = await createApp(kv, account.id, { slug: "many", name: "Many" }, "localhost");
    for (let i = 0; i < 12; i++) await recordVersion(kv, app, input, ref);
    await deleteVersion(kv, app, 11);
    const asked = [12, 11, 3, 99, 1, 2, 4, 5, 6, 7, 8, 9, 10].map((version) => ({
      appId: app.id,
      version,
    }));
    const present = await versionsPresent(kv, asked);
    assert.deepEqual(present, asked.map(({ version }) => version !== 11 && version !== 99));
  } finally {
    kv.close();
  }
});
