import assert from "node:assert/strict";
import { ensureDefaultAccount } from "./accounts.ts";
import { type App, createApp } from "./apps.ts";
import { promote, setSplit } from "./live.ts";
import { type ManifestFile, writeManifest } from "./manifests.ts";
import { recordVersion } from "./versions.ts";
import { diffManifests, diffVersions, mainLiveVersion } from "./version_diff.ts";
import { NotFoundError } from "../lib/errors.ts";

const file = (path: string, sha: string, size = 10): ManifestFile => ({
  path,
  sha256: sha.repeat(64).slice(0, 64),
  size,
  content_type: "text/plain",
});

Deno.test("diffManifests() names added, removed and changed paths, sorted", () => {
  const base = [file("index.html", "a"), file("app.js", "b"), file("old.css", "c")];
  const target = [file("z.txt", "d"), file("index.html", "a"), file("app.js", "e", 12)];
  const diff = diffManifests(base, target);
  assert.deepEqual(diff.added.map((f) => f.path), ["z.txt"]);
  assert.deepEqual(diff.removed.map((f) => f.path), ["old.css"]);
  assert.deepEqual(diff.changed, [{
    path: "app.js",
    before: { sha256: "b".repeat(64), size: 10 },
    after: { sha256: "e".repeat(64), size: 12 },
  }]);
  assert.equal(diff.unchanged, 1);
});

Deno.test("diffManifests() of a version against itself changes nothing", () => {
  const files = [file("a", "1"), file("b", "2")];
  assert.deepEqual(diffManifests(files, files), {
    added: [],
    removed: [],
    changed: [],
    unchanged: 2,
  });
});

Deno.test("mainLiveVersion() is the heaviest arm of a split, the lower number on a tie", () => {
  const record = {
    version: null,
    split: [{ version: 3, weight: 50 }, { version: 2, weight: 50 }],
    schedule: [],
    history: [],
    updated_at: "",
    updated_by: "",
    seq: 1,
  };
  assert.equal(mainLiveVersion(record, Date.now()), 2);
  record.split = [{ version: 3, weight: 60 }, { version: 2, weight: 40 }];
  assert.equal(mainLiveVersion(record, Date.now()), 3);
  assert.equal(mainLiveVersion(null, Date.now()), null);
});

async function versionWith(kv: Deno.Kv, app: App, files: ManifestFile[]) {
  const ref = await writeManifest(kv, app.id, files);
  const input = { createdBy: "t", status: "ready" as const, fileCount: files.length, bytes: 0 };
  return (await recordVersion(kv, app, input, ref)).number;
}

Deno.test("diffVersions() compares with the live version, or a number, or nothing", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const account = await ensureDefaultAccount(kv);
    const app = await createApp(kv, account.id, { slug: "diff", name: "Diff" }, "localhost");
    const one = await versionWith(kv, app, [file("index.html", "a"), file("app.js", "b")]);
    const two = await versionWith(kv, app, [file("index.html", "a"), file("app.js", "c")]);
    const three = await versionWith(kv, app, [file("index.html", "f")]);

    const nothingLive = await diffVersions(kv, app, two, "live", Date.now());
    assert.equal(nothingLive.against, null);
    assert.deepEqual(nothingLive.added.map((f) => f.path), ["app.js", "index.html"]);

    await promote(kv, app, { version: one, by: "t" });
    const live = await diffVersions(kv, app, two, "live", Date.now());
    assert.equal(live.against, one);
    assert.deepEqual(live.changed.map((f) => f.path), ["app.js"]);
    assert.equal(live.unchanged, 1);

    const numbered = await diffVersions(kv, app, three, two, Date.now());
    assert.deepEqual(numbered.removed.map((f) => f.path), ["app.js"]);
    assert.deepEqual(numbered.changed.map((f) => f.path), ["index.html"]);

    await setSplit(kv, app, {
      split: [{ version: one, weight: 30 }, { version: three, weight: 70 }],
      by: "t",
    });
    assert.equal((await diffVersions(kv, app, two, "live", Date.now())).against, three);

    await assert.rejects(diffVersions(kv, app, two, 9, Date.now()), NotFoundError);
    await assert.rejects(diffVersions(kv, app, 9, "live", Date.now()), NotFoundError);
  } finally {
    kv.close();
  }
});
