/**
 * Counting for stats (ARCHITECTURE "The edge at production grade"): the edge counts page views and
 * daily visitors of document loads per app, version, mode and day, in memory, written as `sum`
 * mutations in batches and at shutdown — never a KV write per request; the beacon adds only
 * client-side navigations, so nothing is counted twice.
 */
import assert from "node:assert/strict";
import { startServer, type TestServer } from "./helpers/server.ts";
import { install, NAVIGATION, promote, setCookies, SUBRESOURCE } from "./helpers/fixtures.ts";
import { createEdge, type Edge } from "../edge/handler.ts";
import { readCounters } from "../kv/counters.ts";
import { findAppBySlug } from "../kv/apps.ts";

async function counts(server: TestServer, slug: string) {
  const app = (await findAppBySlug(server.kv, slug))!;
  const rows = await readCounters(server.kv, app.id);
  return (version: number, mode: string, name: string) =>
    rows.filter((r) => r.version === version && r.mode === mode && r.name === name)
      .reduce((sum, r) => sum + r.value, 0);
}

function writes(kv: Deno.Kv) {
  const calls = { atomic: 0, set: 0 };
  const proxy = new Proxy(kv, {
    get(target, name) {
      const value = Reflect.get(target, name, target);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (name === "atomic") calls.atomic++;
        if (name === "set") calls.set++;
        return value.apply(target, args);
      };
    },
  });
  return { kv: proxy, calls };
}

function get(edge: Edge, path: string, headers: Record<string, string>, method = "GET") {
  return edge.handle(
    new Request(`http://count.localhost${path}`, { method, headers }),
    "count.localhost",
  );
}

Deno.test("document loads count page views and daily visitors, in memory until flushed", async () => {
  const server = await startServer();
  const { kv, calls } = writes(server.kv);
  const edge = createEdge(kv, server.config);
  try {
    await install(server, "count", { "index.html": "<p>home</p>", "app.js": "1" });
    await promote(server, "count", 1);
    const first = await get(edge, "/", NAVIGATION);
    const seen = setCookies(first.headers).get("sy_seen")!;
    assert.match(seen, /^sy_seen=\d{4}-\d{2}-\d{2}$/);
    const etag = first.headers.get("etag")!;
    const again = { ...NAVIGATION, cookie: seen };
    for (
      const [path, headers, method] of [
        ["/", again, "GET"], // a page view, not a new visitor
        ["/cart", again, "GET"], // the SPA fallback is a page too
        ["/", { ...again, "if-none-match": etag }, "GET"], // 304: still a page view
        ["/app.js", SUBRESOURCE, "GET"], // assets are not pages
        ["/", again, "HEAD"],
        ["/", { ...again, "sec-purpose": "prefetch" }, "GET"],
        ["/", { ...again, "sec-fetch-dest": "iframe" }, "GET"],
        ["/", { accept: "text/html", "sec-fetch-mode": "cors" }, "GET"], // fetch() of a page
      ] as const
    ) {
      const res = await get(edge, path, headers, method);
      await res.body?.cancel();
    }
    assert.equal(calls.atomic + calls.set, 0, "no KV write per request");
    await edge.close();
    assert.equal(calls.atomic, 1, "one batch at shutdown");
    const count = await counts(server, "count");
    assert.equal(count(1, "live", "page_views"), 4);
    assert.equal(count(1, "live", "visitors"), 1);
  } finally {
    await edge.close();
    await server.close();
  }
});

Deno.test("the beacon adds client-side navigations without counting the page load twice", async () => {
  const server = await startServer();
  try {
    await install(server, "count", { "index.html": "<p>home</p>" });
    await promote(server, "count", 1);
    const page = await server.edge("count", "/", { headers: NAVIGATION });
    const cookie = [...setCookies(page.headers).values()].join("; ");
    const beacon = await server.edge("count", "/api/v1/events", {
      method: "POST",
      headers: { "content-type": "application/json", "sec-fetch-site": "same-origin", cookie },
      body: JSON.stringify({ type: "pageview", path: "/product/1" }),
    });
    assert.equal(beacon.status, 204);
    assert.equal(setCookies(beacon.headers).get("sy_seen"), undefined, "already seen today");
    await server.switchyard.edge.counters.flush();
    const count = await counts(server, "count");
    assert.equal(count(1, "live", "page_views"), 2);
    assert.equal(count(1, "live", "visitors"), 1);
  } finally {
    await server.close();
  }
});

Deno.test("previews count as test traffic of the previewed version", async () => {
  const server = await startServer();
  try {
    await install(server, "count", { "index.html": "<body>one</body>" });
    await install(server, "count", { "index.html": "<body>two</body>" });
    await promote(server, "count", 1);
    const link = await (await server.api("POST", "/apps/count/versions/2/links", { label: "t" }))
      .json();
    const url = new URL(link.url);
    const opened = await server.edge("count", url.pathname + url.search);
    const cookie = opened.headers.get("set-cookie")!.split(";")[0];
    const page = await server.edge("count", "/", { headers: { ...NAVIGATION, cookie } });
    assert.match(page.text(), /two/);
    assert.equal(setCookies(page.headers).get("sy_pin"), undefined, "previews are not pinned");
    await server.switchyard.edge.counters.flush();
    const count = await counts(server, "count");
    assert.equal(count(2, "test", "page_views"), 1);
    assert.equal(count(2, "live", "page_views"), 0);
    assert.equal(count(1, "live", "page_views"), 0);
  } finally {
    await server.close();
  }
});

Deno.test("a beacon after a switch counts for the version the pinned page came from", async () => {
  const server = await startServer();
  try {
    await install(server, "count", { "index.html": "one" });
    await install(server, "count", { "index.html": "two" });
    await promote(server, "count", 1);
    const page = await server.edge("count", "/", { headers: NAVIGATION });
    const cookie = [...setCookies(page.headers).values()].join("; ");
    await promote(server, "count", 2);
    await server.edge("count", "/api/v1/events", {
      method: "POST",
      headers: { "content-type": "application/json", "sec-fetch-site": "same-origin", cookie },
      body: JSON.stringify({ type: "conversion", value: 1000, currency: "USD" }),
    });
    await server.switchyard.edge.counters.flush();
    const count = await counts(server, "count");
    assert.equal(count(1, "live", "reported_conversions"), 1);
    assert.equal(count(2, "live", "reported_conversions"), 0);
  } finally {
    await server.close();
  }
});
