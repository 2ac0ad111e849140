import assert from "node:assert/strict";
import { createApp } from "./apps.ts";
import { ensureDefaultAccount } from "./accounts.ts";
import {
  addSchedule,
  getLive,
  listReleases,
  MAX_PENDING_SCHEDULE,
  promote,
  removeSchedule,
  rollback,
  setSplit,
} from "./live.ts";
import { activeTarget, versionsInUse } from "./live_record.ts";
import { recordVersion } from "./versions.ts";
import { ConflictError, ValidationError } from "../lib/errors.ts";

async function setup(versions = 3) {
  const kv = await Deno.openKv(":memory:");
  const account = await ensureDefaultAccount(kv);
  const app = await createApp(kv, account.id, { slug: "live-test", name: "Live" }, "localhost");
  for (let i = 0; i < versions; i++) {
    await recordVersion(kv, app, { createdBy: "t", status: "ready", fileCount: 0, bytes: 0 }, {
      manifest_id: "m",
      manifest_pages: 0,
    });
  }
  return { kv, app };
}

Deno.test("promote() checks expect and records previous", async () => {
  const { kv, app } = await setup();
  try {
    assert.deepEqual(
      pick(await promote(kv, app, { version: 1, expect: null, by: "a" })),
      [1, null, "promote"],
    );
    await assert.rejects(promote(kv, app, { version: 2, expect: null, by: "a" }), ConflictError);
    assert.deepEqual(pick(await promote(kv, app, { version: 2, expect: 1, by: "a" })), [
      2,
      1,
      "promote",
    ]);
    assert.equal((await getLive(kv, app.id)).value?.version, 2);
  } finally {
    kv.close();
  }
});

Deno.test("promote() refuses a version that is not ready or does not exist", async () => {
  const { kv, app } = await setup(1);
  try {
    await recordVersion(kv, app, { createdBy: "t", status: "uploading", fileCount: 0, bytes: 0 }, {
      manifest_id: "m",
      manifest_pages: 0,
    });
    await assert.rejects(promote(kv, app, { version: 2, by: "a" }), ValidationError);
    await assert.rejects(promote(kv, app, { version: 7, by: "a" }), /No such version/);
    assert.equal((await getLive(kv, app.id)).value, null, "a failed promote changes nothing");
  } finally {
    kv.close();
  }
});

Deno.test("rollback() walks back through history and then reports 409", async () => {
  const { kv, app } = await setup();
  try {
    for (const version of [1, 2, 3]) await promote(kv, app, { version, by: "a" });
    assert.deepEqual(pick(await rollback(kv, app, "a")), [2, 3, "rollback"]);
    assert.deepEqual(pick(await rollback(kv, app, "a")), [1, 2, "rollback"]);
    await assert.rejects(rollback(kv, app, "a"), ConflictError);
    const releases = await listReleases(kv, app, {});
    assert.deepEqual(releases.items.map((r) => r.kind), [
      "rollback",
      "rollback",
      "promote",
      "promote",
      "promote",
    ]);
  } finally {
    kv.close();
  }
});

Deno.test("setSplit() keeps the heaviest arm as version and marks every arm in use", async () => {
  const { kv, app } = await setup();
  try {
    await promote(kv, app, { version: 1, by: "a" });
    await setSplit(kv, app, {
      split: [{ version: 2, weight: 70 }, { version: 3, weight: 30 }],
      by: "a",
    });
    const record = (await getLive(kv, app.id)).value!;
    assert.equal(record.version, 2);
    assert.deepEqual([...versionsInUse(record)].sort(), [2, 3]);
    assert.deepEqual(pick(await rollback(kv, app, "a")), [1, 2, "rollback"]);
    assert.equal((await getLive(kv, app.id)).value!.split, null);
  } finally {
    kv.close();
  }
});

Deno.test("a scheduled change applies from its time on and can be cancelled before", async () => {
  const { kv, app } = await setup();
  try {
    await promote(kv, app, { version: 1, by: "a" });
    const at = new Date(Date.now() + 60_000).toISOString();
    const scheduled = await addSchedule(kv, app, { at, version: 2, by: "a" });
    const record = (await getLive(kv, app.id)).value!;
    assert.equal(activeTarget(record).version, 1);
    assert.equal(activeTarget(record, Date.now() + 61_000).version, 2);
    await removeSchedule(kv, app, scheduled.schedule_id!, "a");
    assert.equal(activeTarget((await getLive(kv, app.id)).value!, Date.now() + 61_000).version, 1);
    await assert.rejects(
      addSchedule(kv, app, { at: new Date(Date.now() - 1000).toISOString(), version: 2, by: "a" }),
      ValidationError,
    );
  } finally {
    kv.close();
  }
});

function pick(release: { version: number | null; previous: number | null; kind: string }) {
  return [release.version, release.previous, release.kind];
}

Deno.test("rollback() after a scheduled change took effect returns to the version before it", async () => {
  const { kv, app } = await setup();
  try {
    await promote(kv, app, { version: 1, by: "a" });
    const at = new Date(Date.now() + 150).toISOString();
    await addSchedule(kv, app, { at, version: 2, by: "a" });
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(activeTarget((await getLive(kv, app.id)).value!).version, 2);
    assert.deepEqual(pick(await rollback(kv, app, "a")), [1, 2, "rollback"]);
    const record = (await getLive(kv, app.id)).value!;
    assert.deepEqual([record.version, record.schedule.length], [1, 0]);
  } finally {
    kv.close();
  }
});

Deno.test("addSchedule() refuses more pending changes than the live record can hold", async () => {
  const { kv, app } = await setup();
  try {
    await promote(kv, app, { version: 1, by: "a" });
    const split = [{ version: 2, weight: 50 }, { version: 3, weight: 50 }];
    for (let i = 0; i < MAX_PENDING_SCHEDULE; i++) {
      await addSchedule(kv, app, {
        at: new Date(Date.now() + 3_600_000 + i).toISOString(),
        split,
        by: "a",
      });
    }
    await assert.rejects(
      addSchedule(kv, app, {
        at: new Date(Date.now() + 7_200_000).toISOString(),
        version: 2,
        by: "a",
      }),
      ValidationError,
    );
  } finally {
    kv.close();
  }
});
