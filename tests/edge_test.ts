/** The edge as a shopper's browser meets it: files, headers, validators, fallbacks, hosts. */
import assert from "node:assert/strict";
import { startServer } from "./helpers/server.ts";
import { install, liveApp, promote } from "./helpers/fixtures.ts";

const SITE = {
  "index.html": "<p>home</p>",
  "docs/index.html": "<p>docs</p>",
  "assets/app.1a2b3c4d.js": "console.log(1)",
  "styles.css": "body{}",
  "data/catalog.json": "{}",
};

Deno.test("the edge serves files with type, nosniff, a strong ETag and caching rules", async () => {
  const server = await startServer();
  try {
    await liveApp(server, "web", SITE);
    const home = await server.edge("web", "/");
    assert.equal(home.status, 200);
    assert.equal(home.text(), "<p>home</p>");
    assert.equal(home.headers.get("content-type"), "text/html; charset=utf-8");
    assert.equal(home.headers.get("x-content-type-options"), "nosniff");
    assert.equal(home.headers.get("cache-control"), "no-cache");
    assert.match(home.headers.get("etag")!, /^"[0-9a-f]{32}"$/);

    const js = await server.edge("web", "/assets/app.1a2b3c4d.js");
    assert.equal(js.headers.get("content-type"), "text/javascript; charset=utf-8");
    assert.equal(js.headers.get("cache-control"), "public, max-age=31536000, immutable");
    const css = await server.edge("web", "/styles.css");
    assert.match(css.headers.get("cache-control")!, /must-revalidate/);

    const again = await server.edge("web", "/", {
      headers: { "if-none-match": `"nope", W/${home.headers.get("etag")}` },
    });
    assert.equal(again.status, 304);
    assert.equal(again.bytes.byteLength, 0);
    assert.equal(again.headers.get("etag"), home.headers.get("etag"));

    const head = await server.edge("web", "/styles.css", { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get("content-length"), "6");
    assert.equal(head.bytes.byteLength, 0);
  } finally {
    await server.close();
  }
});

Deno.test("directories serve index.html; SPA fallback only for extensionless navigations", async () => {
  const server = await startServer();
  try {
    await liveApp(server, "spa", SITE);
    assert.equal((await server.edge("spa", "/docs/")).text(), "<p>docs</p>");
    const bare = await server.edge("spa", "/docs");
    assert.equal(bare.status, 308);
    assert.equal(bare.headers.get("location"), "/docs/");
    const nav = await server.edge("spa", "/cart/checkout", { headers: { accept: "text/html" } });
    assert.equal(nav.status, 200);
    assert.equal(nav.text(), "<p>home</p>");
    const asset = await server.edge("spa", "/assets/gone.9f9f9f9f.js");
    assert.equal(asset.status, 404);
    assert.equal(asset.headers.get("cache-control"), "no-store");
    const api = await server.edge("spa", "/data/missing", {
      headers: { accept: "application/json" },
    });
    assert.equal(api.status, 404);
  } finally {
    await server.close();
  }
});

Deno.test("unknown hosts, apps with nothing live and reserved paths answer clearly", async () => {
  const server = await startServer();
  try {
    const unknown = await server.edge("nobody", "/");
    assert.equal(unknown.status, 404);
    assert.match(unknown.text(), /Store not found/);
    await (await server.api("POST", "/apps", { slug: "empty", name: "Empty" })).body?.cancel();
    const empty = await server.edge("empty", "/");
    assert.equal(empty.status, 404);
    assert.match(empty.text(), /This store is not open yet/);
    const health = await server.edge("empty", "/_switchyard/health");
    assert.equal(health.status, 200);
    assert.equal(health.json<{ status: string }>().status, "ok");
    const other = await server.edge("empty", "/_switchyard/nope");
    assert.equal(other.status, 404);
    assert.equal(other.json<{ error: { code: string } }>().error.code, "not_found");
  } finally {
    await server.close();
  }
});

Deno.test("hostile request paths never reach outside the version and never 5xx", async () => {
  const server = await startServer();
  try {
    await liveApp(server, "safe", SITE);
    // The edge reads the path as sent (no URL normalisation): a literal "/../" is refused.
    const literal = await server.edge("safe", "/../../docs/index.html");
    assert.equal(literal.status, 404);
    const attacks = [
      "/%2e%2e/%2e%2e/etc/passwd",
      "/docs/%2e%2e/%2e%2e/x",
      "/%2e%2e%2fetc%2fpasswd",
      "/%252e%252e/index.html",
      "/docs/..%5cindex.html",
      "/%5c..%5cindex.html",
      "/index.html%00.js",
      "/%c0%ae%c0%ae/index.html",
      "/%e0%80%ae/x",
      "/%ff",
      "/a/./b.js",
      "//etc/passwd",
      "/%0aindex.html",
    ];
    for (const path of attacks) {
      const res = await server.edge("safe", path);
      assert.ok([400, 404].includes(res.status), `${path}: ${res.status}`);
    }
  } finally {
    await server.close();
  }
});

Deno.test("a promote is visible to the same process at once", async () => {
  const server = await startServer({ revalidateMs: 60_000 });
  try {
    await liveApp(server, "flip", { "index.html": "one" });
    assert.equal((await server.edge("flip", "/")).text(), "one");
    await promote(server, "flip", await install(server, "flip", { "index.html": "two" }));
    assert.equal((await server.edge("flip", "/")).text(), "two");
  } finally {
    await server.close();
  }
});
