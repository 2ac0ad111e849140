/**
 * One SQLite KV file, one process: a second Switchyard on the same file is refused at start
 * with a message naming the holder, and the lock dies with its process (no stale lock).
 */
import assert from "node:assert/strict";
import { describeKv, kvBackend, KvInUseError, openKv } from "../../kv/open.ts";
import { loadConfig } from "../../config.ts";
import { spawnSwitchyard } from "../helpers/process.ts";

async function withKvFile(run: (path: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "sy-lock-" });
  try {
    await run(`${dir}/data/kv.sqlite`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a second Switchyard process on the same KV file fails at start, naming the first", async () => {
  await withKvFile(async (path) => {
    const first = await spawnSwitchyard({ env: { SWITCHYARD_KV: path } });
    try {
      assert.ok(first.listening, JSON.stringify(first.lines));
      const second = await spawnSwitchyard({ env: { SWITCHYARD_KV: path } });
      assert.equal(second.listening, false);
      assert.equal((await second.exited).code, 1);
      const refusal = second.lines.find((line) => line.level === "error");
      assert.equal(
        refusal?.error,
        `"SWITCHYARD_KV" file is in use by another Switchyard process (pid ${first.pid}): "${path}"`,
      );
      assert.ok(!JSON.stringify(second.lines).includes("database is locked"));

      // The first one is unharmed; killed without any chance to clean up, it leaves no lock.
      const health = await fetch(`http://127.0.0.1:${first.port}/_switchyard/health`);
      assert.equal((await health.json()).kv, "ok");
      first.signal("SIGKILL");
      await first.exited;
      const third = await spawnSwitchyard({ env: { SWITCHYARD_KV: path } });
      assert.ok(third.listening, JSON.stringify(third.lines));
      await third.stop();
    } finally {
      await first.stop();
    }
  });
});

Deno.test("openKv refuses a file this process already holds, and allows it once closed", async () => {
  await withKvFile(async (path) => {
    const store = await openKv(path);
    const refusal = await openKv(path).then(() => null, (error) => error);
    assert.ok(refusal instanceof KvInUseError);
    assert.equal(refusal.pid, Deno.pid);
    store.close();
    const again = await openKv(path);
    await again.kv.set(["lock-test"], 1);
    again.close();
  });
});

Deno.test("in-memory KV takes no lock: two stores are open at once", async () => {
  const one = await openKv(":memory:");
  const two = await openKv(":memory:");
  assert.equal(one.backend.kind, "memory");
  one.close();
  two.close();
});

Deno.test("the start-up description of a KV Connect URL never shows credentials or the query", () => {
  const backend = kvBackend("https://user:secret@kv.example:4512/db/1/connect?access_token=abc");
  assert.equal(backend.kind, "connect");
  const text = describeKv(backend);
  assert.equal(text, "KV Connect at https://kv.example:4512/db/1/connect");
  assert.equal(
    describeKv(kvBackend("deploy")),
    "Deno Deploy KV (the database attached to this app)",
  );
  assert.equal(
    describeKv(kvBackend(".switchyard/kv.sqlite")),
    "local SQLite KV at .switchyard/kv.sqlite",
  );
});

Deno.test("SWITCHYARD_KV defaults to Deno Deploy's KV there, and KV Connect needs its token", () => {
  const env = (values: Record<string, string>) => (name: string) => values[name];
  assert.equal(loadConfig(env({})).kvPath, ".switchyard/kv.sqlite");
  assert.equal(loadConfig(env({ DENO_DEPLOYMENT_ID: "abc" })).kvPath, "deploy");
  assert.throws(
    () => loadConfig(env({ SWITCHYARD_KV: "deploy" })),
    /"SWITCHYARD_KV" is "deploy" outside Deno Deploy/,
  );
  assert.throws(
    () => loadConfig(env({ SWITCHYARD_KV: "https://kv.example/" })),
    /"DENO_KV_ACCESS_TOKEN" must be set when "SWITCHYARD_KV" is a KV Connect URL/,
  );
  const remote = env({ SWITCHYARD_KV: "https://kv.example/", DENO_KV_ACCESS_TOKEN: "t" });
  assert.equal(loadConfig(remote).kvPath, "https://kv.example/");
});
