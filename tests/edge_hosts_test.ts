/**
 * Host headers the edge is handed: a label that is no app slug is the unknown-host page before
 * any lookup, and an authority that does not parse as a URL (a bad port) never makes an answer
 * fail — the edge reads the raw path and query, never `new URL(request.url)`.
 */
import assert from "node:assert/strict";
import { startServer } from "./helpers/server.ts";
import { countingKv, liveApp } from "./helpers/fixtures.ts";
import { createEdge } from "../edge/handler.ts";
import type { Config } from "../config.ts";

/** A request as Deno's server builds it from a Host header: its URL need not parse. */
function withRawUrl(url: string, init: RequestInit = {}): Request {
  const request = new Request("http://placeholder.invalid/", init);
  Object.defineProperty(request, "url", { value: url });
  return request;
}

Deno.test("a host label that is no slug is the unknown-host page, without a KV read", async () => {
  const server = await startServer();
  const { kv, calls } = countingKv(server.kv);
  const edge = createEdge(kv, { ...server.config, revalidateMs: 60_000 } as Config);
  try {
    await liveApp(server, "shop", { "index.html": "<p>home</p>" });
    const labels = [
      "a".repeat(2100),
      "a".repeat(41),
      "-shop",
      "shop-",
      "sh_op",
      "Shop",
      "sh%op",
      "shop.extra",
      "",
    ];
    for (const label of labels) {
      const host = `${label}.localhost`;
      const res = await edge.handle(new Request("http://x.localhost/"), host);
      assert.equal(res.status, 404, label.slice(0, 50));
      assert.match(await res.text(), /Store not found/, label.slice(0, 50));
    }
    assert.equal(calls.reads, 0, "no lookup for a label that cannot be a slug");
    const longest = "a".repeat(40);
    const res = await edge.handle(new Request("http://x.localhost/"), `${longest}.localhost`);
    assert.equal(res.status, 404);
    await res.body?.cancel();
    assert.equal(calls.reads, 1, "a 40-character slug is looked up");
    const shop = await edge.handle(new Request("http://shop.localhost/"), "shop.localhost");
    assert.equal(await shop.text(), "<p>home</p>");
  } finally {
    await edge.close();
    await server.close();
  }
});

Deno.test("a Host whose port does not parse never fails an answer", async () => {
  const server = await startServer();
  try {
    await liveApp(server, "shopa", { "index.html": "<p>home</p>" });
    const edge = server.switchyard.edge;
    const cases: [string, string, RequestInit?][] = [
      ["/", "<p>home</p>"],
      ["/settings/account.json", '"api_host":"shopa.localhost"'],
      ["/settings/nope.js", "No such settings file"],
      ["/analytics/nope.js", "No such analytics file"],
      ["/api/v1/nope", "No such endpoint"],
      ["/_switchyard/nope", "No such Switchyard path"],
      ["/_switchyard/preview?token=syt_x", "not valid"],
      ["/_switchyard/preview/exit", ""],
      ["/api/v1/events", "", { method: "POST", body: '{"type":"pageview"}' }],
      ["/", "<p>home</p>", { headers: { cookie: "sy_preview=a.2.forged" } }],
    ];
    for (const port of ["abc", "99999", "", "1:2"]) {
      for (const [path, expected, init] of cases) {
        const what = `port "${port}" ${path}`;
        const request = withRawUrl(`http://shopa.localhost:${port}${path}`, init);
        const res = await edge.handle(request, "shopa.localhost");
        assert.ok(res.status < 500, `${what}: ${res.status}`);
        assert.ok((await res.text()).includes(expected), what);
      }
    }
    const exit = await edge.handle(
      withRawUrl("http://shopa.localhost:abc/_switchyard/preview/exit"),
      "shopa.localhost",
    );
    assert.equal(exit.status, 303);
    assert.match(exit.headers.get("set-cookie")!, /^sy_preview=; Path=\/; Max-Age=0/);
    const stale = await edge.handle(
      withRawUrl("http://shopa.localhost:abc/", { headers: { cookie: "sy_preview=a.2.forged" } }),
      "shopa.localhost",
    );
    assert.match(stale.headers.get("set-cookie")!, /sy_preview=;.*Max-Age=0/);
    await stale.body?.cancel();
    const account = await edge.handle(
      withRawUrl("http://shopa.localhost:8443/settings/account.json"),
      "shopa.localhost",
    );
    assert.equal((await account.json()).api_host, "shopa.localhost:8443", "a valid port is kept");
    const defaultPort = await edge.handle(
      withRawUrl("http://shopa.localhost:80/settings/account.json"),
      "shopa.localhost",
    );
    assert.equal((await defaultPort.json()).api_host, "shopa.localhost", "as URL.host says it");
  } finally {
    await server.close();
  }
});
