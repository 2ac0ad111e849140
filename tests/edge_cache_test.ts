/**
 * The edge's caches (ARCHITECTURE "The edge at production grade"): warm requests read nothing from
 * KV; live records are kept current by `kv.watch` and by periodic revalidation (an edge with its
 * watch off stands in for another region); scheduled changes apply from the clock; blobs stay
 * within the budget.
 */
import assert from "node:assert/strict";
import { startServer, type TestServer } from "./helpers/server.ts";
import { countingKv, failingKv, install, liveApp, promote, until } from "./helpers/fixtures.ts";
import { createLogger } from "../lib/log.ts";
import { createEdge, type Edge } from "../edge/handler.ts";
import { liveKey } from "../kv/keys.ts";
import { findAppBySlug } from "../kv/apps.ts";
import type { LiveRecord } from "../kv/live_record.ts";
import type { Config } from "../config.ts";

function edgeGet(edge: Edge, slug: string, path: string, headers: HeadersInit = {}) {
  return edge.handle(
    new Request(`http://${slug}.localhost${path}`, { headers }),
    `${slug}.localhost`,
  );
}

async function textOf(edge: Edge, slug: string, path = "/") {
  return await (await edgeGet(edge, slug, path)).text();
}

/** Moves the live record the way another process would: no in-process change notice. */
async function promoteBehindTheBack(server: TestServer, slug: string, version: number) {
  const app = (await findAppBySlug(server.kv, slug))!;
  const entry = await server.kv.get<LiveRecord>(liveKey(app.id));
  const result = await server.kv.atomic().check(entry)
    .set(liveKey(app.id), { ...entry.value!, version, history: [entry.value!.version!] }).commit();
  assert.ok(result.ok);
}

Deno.test("a warm request reads nothing from KV", async () => {
  const server = await startServer();
  const { kv, calls } = countingKv(server.kv);
  const edge = createEdge(kv, { ...server.config, revalidateMs: 60_000 } as Config);
  try {
    await liveApp(server, "warm", { "index.html": "<p>home</p>", "app.js": "x".repeat(2048) });
    for (const path of ["/", "/app.js"]) {
      await (await edgeGet(edge, "warm", path, { "accept-encoding": "br" })).arrayBuffer();
    }
    const before = calls.reads;
    for (let i = 0; i < 50; i++) {
      const res = await edgeGet(edge, "warm", i % 2 ? "/" : "/app.js", { "accept-encoding": "br" });
      assert.equal(res.status, 200);
      await res.body?.cancel();
    }
    assert.equal(calls.reads, before, "no KV read once warm");
    assert.equal(calls.watches, 1, "one watch for the host");
  } finally {
    await edge.close();
    await server.close();
  }
});

Deno.test("an edge that defers its timers starts its hosts' watches with them, and they work", async () => {
  const server = await startServer();
  const { kv, calls } = countingKv(server.kv);
  const edge = createEdge(kv, { ...server.config, revalidateMs: 60_000 } as Config, {
    deferTimers: true,
  });
  try {
    await liveApp(server, "held", { "index.html": "one" });
    await install(server, "held", { "index.html": "two" });
    assert.equal(await textOf(edge, "held"), "one");
    assert.equal(calls.watches, 0, "no watch before the first answer is out");
    edge.startTimers();
    assert.equal(calls.watches, 1, "the cached host is watched once the timers start");
    await promoteBehindTheBack(server, "held", 2);
    const elapsed = await until(async () => await textOf(edge, "held") === "two", 2000);
    assert.ok(elapsed < 2000, "the held-back watch saw another writer's change");
  } finally {
    await edge.close();
    await server.close();
  }
});

Deno.test("an edge with its watch off sees a change within its revalidation interval", async () => {
  const server = await startServer();
  const revalidateMs = 250;
  const other = createEdge(server.kv, { ...server.config, revalidateMs } as Config, {
    watch: false,
  });
  try {
    await install(server, "far", { "index.html": "one" });
    await install(server, "far", { "index.html": "two" });
    await promote(server, "far", 1);
    assert.equal(await textOf(other, "far"), "one");
    const started = performance.now();
    await promote(server, "far", 2);
    assert.equal(await textOf(other, "far"), "one", "no in-process notice reaches it");
    await until(async () => await textOf(other, "far") === "two", revalidateMs + 500);
    const elapsed = performance.now() - started;
    // The bench holds this to +100 ms; the margin here only absorbs a loaded CI machine.
    assert.ok(elapsed <= revalidateMs + 250, `seen after ${elapsed.toFixed(0)} ms`);
  } finally {
    await other.close();
    await server.close();
  }
});

Deno.test("a watching edge sees another writer's change long before revalidation", async () => {
  const server = await startServer();
  const watching = createEdge(server.kv, { ...server.config, revalidateMs: 60_000 } as Config);
  try {
    await install(server, "near", { "index.html": "one" });
    await install(server, "near", { "index.html": "two" });
    await promote(server, "near", 1);
    assert.equal(await textOf(watching, "near"), "one");
    await promoteBehindTheBack(server, "near", 2);
    const elapsed = await until(async () => await textOf(watching, "near") === "two", 2000);
    assert.ok(elapsed < 500, `seen after ${elapsed.toFixed(0)} ms`);
  } finally {
    await watching.close();
    await server.close();
  }
});

Deno.test("the same process sees its own promote and app deletion at once", async () => {
  const server = await startServer({ revalidateMs: 60_000 });
  try {
    await install(server, "mine", { "index.html": "one" });
    await install(server, "mine", { "index.html": "two" });
    await promote(server, "mine", 1);
    assert.equal((await server.edge("mine", "/")).text(), "one");
    await promote(server, "mine", 2);
    assert.equal((await server.edge("mine", "/")).text(), "two");
    assert.equal((await server.api("DELETE", "/apps/mine")).status, 204);
    const gone = await server.edge("mine", "/");
    assert.equal(gone.status, 404);
    assert.match(gone.text(), /Store not found/);
  } finally {
    await server.close();
  }
});

Deno.test("a scheduled change is applied from the edge's clock, without a KV read", async () => {
  let now = Date.now();
  const server = await startServer({ now: () => now, revalidateMs: 60_000 });
  try {
    await install(server, "timed", { "index.html": "one" });
    await install(server, "timed", { "index.html": "two" });
    await promote(server, "timed", 1);
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const res = await server.api("POST", "/apps/timed/schedule", { at, version: 2 });
    assert.ok(res.ok, await res.clone().text());
    await res.body?.cancel();
    assert.equal((await server.edge("timed", "/")).text(), "one");
    now = Date.parse(at) + 1;
    assert.equal((await server.edge("timed", "/")).text(), "two");
  } finally {
    await server.close();
  }
});

Deno.test("file bytes stay within the cache budget and every answer stays right", async () => {
  const server = await startServer({ edgeCacheBytes: 64 * 1024 });
  try {
    const files: Record<string, string> = { "index.html": "home" };
    for (let i = 0; i < 24; i++) files[`f${i}.bin`] = String(i % 10).repeat(10 * 1024);
    await liveApp(server, "tight", files);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 24; i++) {
        const res = await server.edge("tight", `/f${i}.bin`);
        assert.equal(res.text(), files[`f${i}.bin`]);
      }
      assert.ok(server.switchyard.edge.state.blobs.bytes <= 64 * 1024);
    }
  } finally {
    await server.close();
  }
});

Deno.test("every answer stays byte-exact under constant eviction: concurrent GET, HEAD and Range", async () => {
  // 16 files of 12 KiB against a 48 KiB budget (4 files): nearly every request evicts another
  // file's body while responses made from it may still be going out. Whether a freed body
  // could reach an answer depends on scheduling this test does not control; the timing rules
  // themselves are pinned by the BlobCache unit tests (edge/blob_cache_test.ts).
  const server = await startServer({ edgeCacheBytes: 48 * 1024 });
  try {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 16; i++) {
      files[`f${i}.bin`] = crypto.getRandomValues(new Uint8Array(12 * 1024));
    }
    await liveApp(server, "churn", { "index.html": "home", ...files });
    const requests = Array.from({ length: 240 }, (_, n) => {
      const name = `f${(n * 7) % 16}.bin`;
      const kind = n % 3 === 0 ? "range" : n % 5 === 0 ? "head" : "get";
      return { name, kind };
    });
    const answers = await Promise.all(
      requests.map(({ name, kind }) =>
        server.edge("churn", `/${name}`, {
          method: kind === "head" ? "HEAD" : "GET",
          headers: kind === "range" ? { range: "bytes=100-4195" } : {},
        })
      ),
    );
    answers.forEach((res, n) => {
      const { name, kind } = requests[n];
      const expected = files[name];
      if (kind === "range") {
        assert.equal(res.status, 206, `${n} ${name}`);
        assert.deepEqual(res.bytes, expected.subarray(100, 4196), `${n} ${name} range`);
      } else if (kind === "head") {
        assert.equal(res.status, 200);
        assert.equal(res.headers.get("content-length"), String(expected.byteLength));
        assert.equal(res.bytes.byteLength, 0);
      } else {
        assert.equal(res.status, 200, `${n} ${name}`);
        assert.deepEqual(res.bytes, expected, `${n} ${name}`);
      }
    });
    assert.ok(server.switchyard.edge.state.blobs.bytes <= 48 * 1024);
  } finally {
    await server.close();
  }
});

Deno.test("a failed revalidation is an error line in the edge's log, and serving goes on", async () => {
  const server = await startServer();
  const { kv, outage } = failingKv(
    server.kv,
    "getMany",
    () => Promise.reject(new Error("KV unreachable")),
  );
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({ level: "warn", write: (line) => lines.push(JSON.parse(line)) });
  const edge = createEdge(kv, { ...server.config, revalidateMs: 20 } as Config, {
    watch: false,
    log,
  });
  try {
    await liveApp(server, "steady", { "index.html": "home" });
    assert.equal(await textOf(edge, "steady"), "home");
    outage.on = true;
    await until(() => Promise.resolve(lines.length > 0), 2000);
    assert.equal(lines[0].level, "error");
    assert.equal(lines[0].msg, "edge revalidation failed");
    assert.equal(lines[0].error, "KV unreachable");
    assert.equal(await textOf(edge, "steady"), "home", "the cached site is still served");
  } finally {
    outage.on = false;
    await edge.close();
    await server.close();
  }
});
