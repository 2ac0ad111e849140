/**
 * Counts are never dropped silently: a flush that fails keeps what it could not write for the
 * next one, and what the bound on memory turns away is logged with the counts lost. Against a
 * real KV whose commits fail for a while: the totals written once it is back are exact.
 */
import assert from "node:assert/strict";
import { startServer, type TestServer } from "./helpers/server.ts";
import {
  commitWrappedKv,
  failingKv,
  install,
  NAVIGATION,
  promote,
  setCookies,
} from "./helpers/fixtures.ts";
import { createEdge, type Edge } from "../edge/handler.ts";
import { Counters } from "../edge/counters.ts";
import { readCounters } from "../kv/counters.ts";
import { findAppBySlug } from "../kv/apps.ts";
import { createLogger } from "../lib/log.ts";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({ level: "warn", write: (line) => lines.push(JSON.parse(line)) });
  return { log, lines };
}

/** The totals of `name` in KV, by app id, over every version, mode and day. */
async function total(kv: Deno.Kv, appId: string, name: string): Promise<number> {
  const rows = await readCounters(kv, appId);
  return rows.filter((row) => row.name === name).reduce((sum, row) => sum + row.value, 0);
}

async function pageViews(edge: Edge, count: number, cookie?: string): Promise<string> {
  let seen = cookie ?? "";
  for (let i = 0; i < count; i++) {
    const headers = seen ? { ...NAVIGATION, cookie: seen } : NAVIGATION;
    const res = await edge.handle(
      new Request("http://count.localhost/", { headers }),
      "count.localhost",
    );
    assert.equal(res.status, 200);
    await res.body?.cancel();
    seen ||= setCookies(res.headers).get("sy_seen")!;
  }
  return seen;
}

async function appId(server: TestServer): Promise<string> {
  return (await findAppBySlug(server.kv, "count"))!.id;
}

Deno.test("a failed flush keeps its counts, and the totals are exact once KV is back", async () => {
  const server = await startServer();
  const { kv, outage } = failingKv(server.kv, "atomic", () => {
    throw new Error("KV is down");
  });
  const { log, lines } = capture();
  const edge = createEdge(kv, server.config, { log });
  try {
    await install(server, "count", { "index.html": "<p>home</p>" });
    await promote(server, "count", 1);
    outage.on = true;
    const seen = await pageViews(edge, 3);
    await edge.counters.flush();
    await pageViews(edge, 2, seen);
    await edge.counters.flush();
    const failed = lines.filter((line) => line.msg === "counter flush failed");
    assert.equal(failed.length, 2);
    assert.equal(failed[0].error, "KV is down");
    assert.equal(await total(server.kv, await appId(server), "page_views"), 0, "nothing written");
    outage.on = false;
    await edge.counters.flush();
    assert.equal(await total(server.kv, await appId(server), "page_views"), 5);
    assert.equal(await total(server.kv, await appId(server), "visitors"), 1);
    assert.equal(lines.filter((line) => line.msg === "counts lost").length, 0);
  } finally {
    outage.on = false;
    await edge.close();
    await server.close();
  }
});

Deno.test("a flush that fails part-way writes the rest later, each count exactly once", async () => {
  using real = await Deno.openKv(":memory:");
  let commits = 0;
  // The second commit of a flush (counters 501–600) fails; the first stands.
  const flaky = new Proxy(real, {
    get(target, name) {
      const value = Reflect.get(target, name, target);
      if (name !== "atomic") return typeof value === "function" ? value.bind(target) : value;
      return () => {
        if (++commits === 2) throw new Error("KV is down");
        return target.atomic();
      };
    },
  });
  const { log, lines } = capture();
  const counters = new Counters(flaky, { log });
  const now = Date.parse("2026-11-28T12:00:00Z");
  for (let i = 0; i < 600; i++) counters.add("app", 1, "live", `c${i}`, i + 1, now);
  await counters.flush();
  assert.equal(lines[0].msg, "counter flush failed");
  assert.equal(lines[0].kept, 100);
  await counters.close();
  const rows = await readCounters(real, "app");
  assert.equal(rows.length, 600);
  for (const row of rows) assert.equal(row.value, Number(row.name.slice(1)) + 1, row.name);
});

Deno.test("past the bound on counters held, what is turned away is logged with its counts", async () => {
  using real = await Deno.openKv(":memory:");
  const { kv, outage } = failingKv(real, "atomic", () => {
    throw new Error("KV is down");
  });
  const { log, lines } = capture();
  const counters = new Counters(kv, { log, maxPending: 2 });
  const now = Date.parse("2026-11-28T12:00:00Z");
  outage.on = true;
  counters.add("app", 1, "live", "page_views", 4, now);
  counters.add("app", 1, "live", "conversions", 1, now);
  counters.add("app", 1, "live", "revenue", 1999, now); // a third counter: past the bound
  counters.add("app", 1, "live", "page_views", 3, now); // held ones still add up
  await counters.flush();
  const lost = lines.find((line) => line.msg === "counts lost")!;
  assert.deepEqual(lost.lost, { revenue: 1999 });
  outage.on = false;
  await counters.close();
  assert.equal(await total(real, "app", "page_views"), 7);
  assert.equal(await total(real, "app", "conversions"), 1);
  assert.equal(await total(real, "app", "revenue"), 0);
});

Deno.test("a flush whose answer was lost after KV wrote it is not counted again", async () => {
  using kv = await Deno.openKv(":memory:");
  // The first commits are applied by KV, then the answer is lost (a network error on the way
  // back): the retry must not add the same counts a second time.
  let lostAnswers = 2;
  const flaky = commitWrappedKv(kv, async (commit) => {
    const result = await commit();
    if (lostAnswers-- > 0) throw new Error("connection reset after the commit");
    return result;
  });
  const { log } = capture();
  const counters = new Counters(flaky, { log });
  const now = Date.now();
  counters.add("app", 1, "live", "reported_conversions", 3, now);
  await counters.flush(); // applied, answer lost: kept as unsure
  counters.add("app", 1, "live", "reported_conversions", 4, now);
  await counters.flush(); // the unsure batch again (applied before: adds nothing), answer lost
  await counters.flush(); // the unsure batch finds its marker; the 4 are written once
  assert.equal(await total(kv, "app", "reported_conversions"), 7);
  await counters.close();
});
