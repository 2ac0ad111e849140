/** Analytics scripts and the events beacon: counted per app, version and mode, in batches. */
import assert from "node:assert/strict";
import { startServer, type TestServer } from "./helpers/server.ts";
import { install, promote } from "./helpers/fixtures.ts";
import { readCounters } from "../kv/counters.ts";
import { findAppBySlug } from "../kv/apps.ts";
import { AddressRanges } from "../lib/addresses.ts";
import { CONVERSIONS_PER_DAY, EVENTS_PER_MINUTE } from "../edge/beacon_limits.ts";

async function liveWithCandidate(server: TestServer, slug: string) {
  await install(server, slug, { "index.html": "one" });
  await install(server, slug, { "index.html": "two" });
  await promote(server, slug, 1);
}

const post = (server: TestServer, slug: string, body: unknown, cookie = "") =>
  server.edge(slug, "/api/v1/events", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "sec-fetch-site": "same-origin",
      ...(cookie ? { cookie } : {}),
    },
    body: JSON.stringify(body),
  });

Deno.test("the analytics scripts are small JavaScript served no-cache", async () => {
  const server = await startServer();
  try {
    await liveWithCandidate(server, "scripts");
    for (const name of ["pageview", "conversion"]) {
      const res = await server.edge("scripts", `/analytics/${name}.js`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get("content-type")!, /text\/javascript/);
      assert.equal(res.headers.get("cache-control"), "no-cache");
      assert.ok(res.bytes.byteLength < 2048, `${name}.js is ${res.bytes.byteLength} bytes`);
      assert.match(res.text(), /\/api\/v1\/events/);
    }
    assert.equal((await server.edge("scripts", "/analytics/other.js")).status, 404);
    // (`/api/v1/products` is the shopper API's now: a path no API has.)
    const api = await server.edge("scripts", "/api/v1/nope", {
      headers: { accept: "text/html" },
    });
    assert.equal(api.status, 404, "no SPA fallback under /api/v1/");
    assert.equal(api.json<{ error: { code: string } }>().error.code, "not_found");
  } finally {
    await server.close();
  }
});

Deno.test("beacons count page views, daily visitors and conversions per version and mode", async () => {
  const server = await startServer();
  try {
    await liveWithCandidate(server, "counted");
    const first = await post(server, "counted", { type: "pageview", path: "/" });
    assert.equal(first.status, 204);
    const seen = first.headers.get("set-cookie")!.split(";")[0];
    assert.match(seen, /^sy_seen=\d{4}-\d{2}-\d{2}$/);
    await post(server, "counted", { type: "pageview", path: "/cart" }, seen);
    await post(server, "counted", { type: "conversion", value: 2599, currency: "USD" }, seen);

    const link = await (await server.api("POST", "/apps/counted/versions/2/links", { label: "t" }))
      .json();
    const u = new URL(link.url);
    const opened = await server.edge("counted", u.pathname + u.search);
    const preview = opened.headers.get("set-cookie")!.split(";")[0];
    await post(server, "counted", { type: "pageview", path: "/" }, preview);

    const bad = await post(server, "counted", { type: "purchase" });
    assert.equal(bad.status, 422);

    await server.switchyard.edge.counters.flush();
    const app = (await findAppBySlug(server.kv, "counted"))!;
    const rows = await readCounters(server.kv, app.id);
    const value = (version: number, mode: string, name: string) =>
      rows.find((r) => r.version === version && r.mode === mode && r.name === name)?.value ?? 0;
    assert.equal(value(1, "live", "page_views"), 2);
    assert.equal(value(1, "live", "visitors"), 1);
    assert.equal(value(1, "live", "reported_conversions"), 1);
    assert.equal(value(1, "live", "reported_revenue"), 2599);
    assert.equal(value(2, "test", "page_views"), 1);
    assert.equal(value(2, "live", "page_views"), 0);
  } finally {
    await server.close();
  }
});

Deno.test("a beacon that no page of the store sent is refused and counts nothing", async () => {
  const server = await startServer();
  try {
    await liveWithCandidate(server, "forged");
    const forged = { type: "conversion", value: 99999999, currency: "USD" };
    const attempts: Record<string, string>[] = [
      { "content-type": "application/json" },
      { "content-type": "text/plain", origin: "https://evil.example" },
      { "content-type": "text/plain", "sec-fetch-site": "cross-site" },
      { "content-type": "text/plain", "sec-fetch-site": "same-site" },
      { "content-type": "text/plain", "sec-fetch-site": "none" },
    ];
    for (const headers of attempts) {
      const res = await server.edge("forged", "/api/v1/events", {
        method: "POST",
        headers,
        body: JSON.stringify(forged),
      });
      assert.equal(res.status, 403, JSON.stringify(headers));
      assert.equal(res.json<{ error: { code: string } }>().error.code, "cross_origin_event");
    }
    // An older browser without Sec-Fetch-Site still names the page's own origin.
    const own = await server.edge("forged", "/api/v1/events", {
      method: "POST",
      headers: { origin: "http://forged.localhost" }, // the Host this client sends
      body: JSON.stringify({ type: "conversion", value: 100, currency: "USD" }),
    });
    assert.equal(own.status, 204);
    await server.switchyard.flush();
    const app = (await findAppBySlug(server.kv, "forged"))!;
    const revenue = (await readCounters(server.kv, app.id))
      .filter((row) => row.name === "reported_revenue").reduce((sum, row) => sum + row.value, 0);
    assert.equal(revenue, 100);
  } finally {
    await server.close();
  }
});

Deno.test("one client's beacons are bounded: events a minute, conversions a day, value an event", async () => {
  // Behind the trusted proxy (127.0.0.1 here) each X-Forwarded-For address is one client, and
  // a clock stopped mid-minute keeps the minute's allowance from rolling over during the test.
  const server = await startServer({
    trustedProxy: AddressRanges.parse("127.0.0.1"),
    now: () => Date.UTC(2026, 10, 28, 12, 0, 30),
  });
  const from = (address: string, body: unknown, cookie = "") =>
    server.edge("bounded", "/api/v1/events", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "sec-fetch-site": "same-origin",
        "x-forwarded-for": address,
        // A sender that changes its cookies gets no new allowance.
        cookie: cookie || `sy_visitor=${crypto.randomUUID()}`,
      },
      body: JSON.stringify(body),
    });
  try {
    await liveWithCandidate(server, "bounded");
    const big = await from("203.0.113.1", { type: "conversion", value: 100_000_001 });
    assert.equal(big.status, 422, "a value past the cap is not a conversion");
    const answers: number[] = [];
    for (let i = 0; i < EVENTS_PER_MINUTE; i++) {
      answers.push((await from("203.0.113.1", { type: "conversion", value: 100 })).status);
    }
    assert.deepEqual(new Set(answers), new Set([204]));
    const over = await from("203.0.113.1", { type: "pageview" });
    assert.equal(over.status, 429);
    assert.ok(Number(over.headers.get("retry-after")) >= 1);
    assert.equal(over.json<{ error: { code: string } }>().error.code, "too_many_events");
    const other = await from("203.0.113.2", { type: "pageview" });
    assert.equal(other.status, 204, "another client is not held back");

    await server.switchyard.flush();
    const app = (await findAppBySlug(server.kv, "bounded"))!;
    const rows = await readCounters(server.kv, app.id);
    const total = (name: string) =>
      rows.filter((row) => row.name === name).reduce((sum, row) => sum + row.value, 0);
    assert.ok(EVENTS_PER_MINUTE > CONVERSIONS_PER_DAY, "the day's cap is what stops them");
    assert.equal(total("reported_conversions"), CONVERSIONS_PER_DAY);
    assert.equal(total("reported_revenue"), CONVERSIONS_PER_DAY * 100);
    assert.equal(total("revenue"), 0, "a page's report is never counted as the store's revenue");
  } finally {
    await server.close();
  }
});

Deno.test("shoppers of a store without a split each keep their own beacon allowance", async () => {
  const server = await startServer({ trustedProxy: AddressRanges.parse("127.0.0.1") });
  try {
    await liveWithCandidate(server, "busy");
    for (let shopper = 0; shopper < EVENTS_PER_MINUTE + 10; shopper++) {
      const res = await server.edge("busy", "/api/v1/events", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "sec-fetch-site": "same-origin",
          "x-forwarded-for": `198.51.${shopper >> 8}.${shopper & 255}`,
        },
        body: JSON.stringify({ type: "pageview" }),
      });
      assert.equal(res.status, 204, `shopper ${shopper}`);
    }
  } finally {
    await server.close();
  }
});
