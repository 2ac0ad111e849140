/**
 * Graceful shutdown of the real process: a signal during a request and during counter
 * aggregation (the edge flushes every 5 s) finds the request completed and the counts in the
 * KV file after exit.
 */
import assert from "node:assert/strict";
import { zipSync } from "fflate";
import { openKv } from "../../kv/open.ts";
import { findAppBySlug } from "../../kv/apps.ts";
import { readCounters } from "../../kv/counters.ts";
import { getVersion } from "../../kv/versions.ts";
import { rawRequest } from "../helpers/http.ts";
import {
  PROCESS_TOKEN,
  slowRequest,
  spawnSwitchyard,
  type SwitchyardProcess,
} from "../helpers/process.ts";

const auth = { authorization: `Bearer ${PROCESS_TOKEN}` };
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A demo-seeded server on a fresh SQLite file; `run` gets it and the file's path. */
async function withServer(
  env: Record<string, string>,
  run: (server: SwitchyardProcess, kvPath: string) => Promise<void>,
) {
  const dir = await Deno.makeTempDir({ prefix: "sy-shutdown-" });
  const kvPath = `${dir}/kv.sqlite`;
  const server = await spawnSwitchyard({
    env: { SWITCHYARD_KV: kvPath, SWITCHYARD_DEMO: "1", ...env },
  });
  try {
    assert.ok(server.listening, JSON.stringify(server.lines));
    await run(server, kvPath);
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

function pageview(port: number) {
  return rawRequest(port, {
    method: "POST",
    path: "/api/v1/events",
    host: "demo.localhost",
    headers: { "content-type": "application/json", "sec-fetch-site": "same-origin" },
    body: '{"type":"pageview"}',
  });
}

/** An upload of a new version of `demo`, its body half sent until `finish()`. */
function slowUpload(port: number) {
  const random = crypto.getRandomValues(new Uint8Array(60_000));
  const archive = zipSync({
    "index.html": new TextEncoder().encode("<p>late</p>"),
    "x.bin": random,
  });
  return slowRequest(port, {
    method: "POST",
    path: "/api/v1/apps/demo/versions",
    host: "127.0.0.1",
    headers: { ...auth, "content-type": "application/zip" },
  }, archive);
}

/** The demo's live page views and visitors in the KV file, read after the process is gone. */
async function demoCounts(kvPath: string) {
  const store = await openKv(kvPath);
  try {
    const app = (await findAppBySlug(store.kv, "demo"))!;
    const rows = await readCounters(store.kv, app.id);
    const total = (name: string) =>
      rows.filter((row) => row.name === name && row.version === 1 && row.mode === "live")
        .reduce((sum, row) => sum + row.value, 0);
    const latest = await getVersion(store.kv, app, 3).catch(() => null);
    return { pageViews: total("page_views"), visitors: total("visitors"), version3: latest };
  } finally {
    store.close();
  }
}

Deno.test("SIGTERM lets an upload in flight finish, refuses new requests and flushes counters", async () => {
  await withServer({}, async (server, kvPath) => {
    const first = performance.now();
    for (let i = 0; i < 5; i++) assert.equal((await pageview(server.port)).status, 204);
    const upload = slowUpload(server.port);
    // Counted after the signal, so only the flush after draining can write it.
    const lateBeacon = slowRequest(server.port, {
      method: "POST",
      path: "/api/v1/events",
      host: "demo.localhost",
      headers: { "content-type": "application/json", "sec-fetch-site": "same-origin" },
    }, new TextEncoder().encode('{"type":"pageview"}'));
    await delay(300); // the handlers are running, waiting for the rest of their bodies
    // Before the edge's own 5-second flush: only the shutdown can have written these counts.
    assert.ok(performance.now() - first < 4000, "the beacons took too long to prove anything");
    server.signal("SIGTERM");
    const stopping = await server.waitForLine((line) => line.msg === "Shutting down");
    assert.equal(stopping.in_flight, 2);

    const meanwhile = await rawRequest(server.port, {
      path: "/api/v1/apps",
      host: "127.0.0.1",
      headers: auth,
    });
    assert.equal(meanwhile.status, 503);
    assert.equal(meanwhile.json<{ error: { code: string } }>().error.code, "shutting_down");

    lateBeacon.finish();
    assert.equal((await lateBeacon.response).status, 204);
    upload.finish();
    const response = await upload.response;
    assert.equal(response.status, 201, response.body);
    assert.equal(JSON.parse(response.body).number, 3);
    assert.equal((await server.exited).code, 0);
    assert.ok(server.lines.some((line) => line.msg === "Stopped"));

    const counts = await demoCounts(kvPath);
    assert.equal(counts.pageViews, 6);
    assert.equal(counts.visitors, 6);
    assert.equal(counts.version3?.status, "ready");
  });
});

Deno.test("SIGINT amid a stream of beacons: every beacon answered 204 is counted", async () => {
  await withServer({}, async (server, kvPath) => {
    let accepted = 0;
    let sent = 0;
    const stream = (async () => {
      while (true) {
        const status = await pageview(server.port).then((r) => r.status, () => 0);
        if (status !== 204) return;
        accepted++;
        if (++sent === 20) server.signal("SIGINT");
      }
    })();
    await stream;
    assert.equal((await server.exited).code, 0);
    assert.ok(accepted >= 20, `only ${accepted} beacons accepted`);
    const counts = await demoCounts(kvPath);
    assert.equal(counts.pageViews, accepted);
    assert.equal(counts.visitors, accepted);
  });
});

Deno.test("a request still in flight at SWITCHYARD_SHUTDOWN_MS is cut off, counters still written", async () => {
  await withServer({ SWITCHYARD_SHUTDOWN_MS: "400" }, async (server, kvPath) => {
    for (let i = 0; i < 3; i++) assert.equal((await pageview(server.port)).status, 204);
    const upload = slowUpload(server.port); // never finished
    await delay(300);
    const signalled = performance.now();
    server.signal("SIGTERM");
    assert.equal((await server.exited).code, 0);
    assert.ok(performance.now() - signalled < 3000, "the timeout did not bound the shutdown");
    assert.ok(server.lines.some((line) => line.level === "warn" && line.in_flight === 1));
    await upload.response.then(() => assert.fail("the stalled upload got an answer"), () => {});
    assert.equal((await demoCounts(kvPath)).pageViews, 3);
  });
});

Deno.test("a second signal stops waiting for requests in flight", async () => {
  await withServer({ SWITCHYARD_SHUTDOWN_MS: "60000" }, async (server, kvPath) => {
    assert.equal((await pageview(server.port)).status, 204);
    const upload = slowUpload(server.port);
    await delay(300);
    server.signal("SIGTERM");
    await server.waitForLine((line) => line.msg === "Shutting down");
    const second = performance.now();
    server.signal("SIGINT");
    assert.equal((await server.exited).code, 0);
    assert.ok(performance.now() - second < 3000);
    await upload.response.catch(() => {});
    assert.equal((await demoCounts(kvPath)).pageViews, 1);
  });
});
