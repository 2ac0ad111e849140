/**
 * `switchyard.json` (ARCHITECTURE "The edge at production grade"): the SPA fallback on or off,
 * header rules by glob, redirects and clean URLs — validated at install, where a bad file refuses
 * the package naming the rule that failed.
 */
import assert from "node:assert/strict";
import { zipOf } from "./fixtures/archives.ts";
import { startServer, type TestServer } from "./helpers/server.ts";
import { liveApp, NAVIGATION } from "./helpers/fixtures.ts";

async function withConfig(
  config: unknown,
  files: Record<string, string>,
  test: (server: TestServer) => Promise<void>,
) {
  const server = await startServer();
  try {
    await liveApp(server, "cfg", {
      "index.html": "<p>home</p>",
      "switchyard.json": JSON.stringify(config),
      ...files,
    });
    await test(server);
  } finally {
    await server.close();
  }
}

Deno.test("spa: false answers 404 to unknown navigations, with the package's 404.html", async () => {
  await withConfig({ spa: false }, { "404.html": "<p>lost</p>", "app.js": "1" }, async (server) => {
    const nav = await server.edge("cfg", "/cart/checkout", { headers: NAVIGATION });
    assert.equal(nav.status, 404);
    assert.equal(nav.text(), "<p>lost</p>");
    assert.equal(nav.headers.get("cache-control"), "no-store");
    assert.equal(nav.headers.get("etag"), null);
    const asset = await server.edge("cfg", "/missing.js", { headers: { accept: "*/*" } });
    assert.equal(asset.status, 404);
    assert.doesNotMatch(asset.text(), /lost/, "only navigations get the package's page");
    assert.equal(
      (await server.edge("cfg", "/switchyard.json")).status,
      404,
      "config is not served",
    );
  });
});

Deno.test("the SPA fallback is on by default, for extensionless navigations only", async () => {
  await withConfig({}, {}, async (server) => {
    assert.equal(
      (await server.edge("cfg", "/cart", { headers: NAVIGATION })).text(),
      "<p>home</p>",
    );
    assert.equal((await server.edge("cfg", "/cart", { headers: { accept: "*/*" } })).status, 404);
    assert.equal((await server.edge("cfg", "/cart.json", { headers: NAVIGATION })).status, 404);
  });
});

Deno.test("header rules apply by glob in order; Switchyard's own headers stay", async () => {
  const config = {
    headers: {
      "/**": { "X-Frame-Options": "DENY" },
      "/assets/**": { "Access-Control-Allow-Origin": "*", "X-Frame-Options": "SAMEORIGIN" },
      "/**/*.json": { "Cache-Control": "public, max-age=60" },
    },
  };
  const files = { "assets/app.js": "1", "data/catalog.json": "{}" };
  await withConfig(config, files, async (server) => {
    const asset = await server.edge("cfg", "/assets/app.js");
    assert.equal(asset.headers.get("access-control-allow-origin"), "*");
    assert.equal(asset.headers.get("x-frame-options"), "SAMEORIGIN");
    assert.equal(asset.headers.get("x-content-type-options"), "nosniff");
    const home = await server.edge("cfg", "/");
    assert.equal(home.headers.get("x-frame-options"), "DENY");
    assert.equal(home.headers.get("access-control-allow-origin"), null);
    const json = await server.edge("cfg", "/data/catalog.json");
    assert.equal(json.headers.get("cache-control"), "public, max-age=60");
    const head = await server.edge("cfg", "/assets/app.js", { method: "HEAD" });
    assert.equal(head.headers.get("access-control-allow-origin"), "*");
  });
});

Deno.test("redirects: exact and prefix rules, status, :splat and the query, before files", async () => {
  const config = {
    redirects: [
      { from: "/old", to: "/new", status: 301 },
      { from: "/blog/*", to: "https://blog.example.com/:splat", status: 302 },
      { from: "/docs/*", to: "/help/:splat" },
      { from: "/shadowed.js", to: "/app.js", status: 307 },
    ],
  };
  await withConfig(config, { "shadowed.js": "x", "app.js": "1" }, async (server) => {
    const old = await server.edge("cfg", "/old?ref=mail");
    assert.equal(old.status, 301);
    assert.equal(old.headers.get("location"), "/new?ref=mail");
    const blog = await server.edge("cfg", "/blog/2026/sale%20now");
    assert.equal(blog.status, 302);
    assert.equal(blog.headers.get("location"), "https://blog.example.com/2026/sale%20now");
    const docs = await server.edge("cfg", "/docs/a/b");
    assert.equal(docs.status, 308);
    assert.equal(docs.headers.get("location"), "/help/a/b");
    assert.equal((await server.edge("cfg", "/docs")).headers.get("location"), "/help/");
    const shadowed = await server.edge("cfg", "/shadowed.js");
    assert.equal(shadowed.status, 307, "a redirect wins over a file");
    assert.equal((await server.edge("cfg", "/app.js")).status, 200);
  });
});

Deno.test("clean_urls: /about serves about.html, and .html addresses redirect", async () => {
  const files = { "about.html": "<p>about</p>", "docs/index.html": "<p>docs</p>" };
  await withConfig({ clean_urls: true }, files, async (server) => {
    assert.equal((await server.edge("cfg", "/about")).text(), "<p>about</p>");
    const html = await server.edge("cfg", "/about.html?x=1");
    assert.equal(html.status, 308);
    assert.equal(html.headers.get("location"), "/about?x=1");
    assert.equal((await server.edge("cfg", "/docs/index.html")).headers.get("location"), "/docs/");
    assert.equal((await server.edge("cfg", "/index.html")).headers.get("location"), "/");
    assert.equal((await server.edge("cfg", "/docs/")).text(), "<p>docs</p>");
  });
});

Deno.test("a deploy section (the CLI's settings) is accepted and ignored when serving", async () => {
  const config = {
    deploy: { app: "cfg", url: "https://switchyard.example", dir: "dist", source_maps: false },
    redirects: [{ from: "/old", to: "/new", status: 301 }],
    headers: { "/**": { "X-Frame-Options": "DENY" } },
  };
  await withConfig(config, {}, async (server) => {
    const old = await server.edge("cfg", "/old");
    assert.equal(old.status, 301);
    assert.equal(old.headers.get("location"), "/new");
    assert.equal((await server.edge("cfg", "/")).headers.get("x-frame-options"), "DENY");
    const file = await server.edge("cfg", "/switchyard.json");
    assert.equal(file.status, 404, "config is not served");
    assert.doesNotMatch(file.text(), /switchyard\.example/);
  });
});

Deno.test("a bad switchyard.json refuses the package naming the rule", async () => {
  const server = await startServer();
  try {
    await (await server.api("POST", "/apps", { slug: "bad", name: "bad" })).body?.cancel();
    const cases: [string, RegExp][] = [
      ["{not json", /not valid UTF-8 JSON/],
      ["[]", /must be a JSON object/],
      [JSON.stringify({ cleanUrls: true }), /"cleanUrls" is not a known key/],
      [JSON.stringify({ spa: "yes" }), /"spa" must be true or false/],
      [JSON.stringify({ deploy: "shop" }), /"deploy" must be an object/],
      [JSON.stringify({ deploy: null }), /"deploy" must be an object/],
      [JSON.stringify({ deploy: [] }), /"deploy" must be an object/],
      [JSON.stringify({ headers: { "assets/**": { "X-A": "1" } } }), /"headers.assets\/\*\*"/],
      [JSON.stringify({ headers: { "/**": { "Content-Encoding": "br" } } }), /set by Switchyard/],
      [JSON.stringify({ headers: { "/**": { "X-A": "a\nb" } } }), /without line breaks/],
      [JSON.stringify({ headers: { "/**": { "Bad Name": "1" } } }), /not a valid header name/],
      [
        JSON.stringify({ redirects: [{ from: "/a", to: "/b", status: 200 }] }),
        /"redirects\[0\]\.status" must be 301, 302, 307 or 308: 200/,
      ],
      [JSON.stringify({ redirects: [{ from: "a", to: "/b" }] }), /"redirects\[0\]\.from"/],
      [JSON.stringify({ redirects: [{ from: "/a*", to: "/b" }] }), /only use "\*" as a final/],
      [
        JSON.stringify({ redirects: [{ from: "/a", to: "//evil.example" }] }),
        /"redirects\[0\]\.to"/,
      ],
      [JSON.stringify({ redirects: [{ from: "/a", to: "/b/:splat" }] }), /:splat/],
      [
        JSON.stringify({ redirects: [{ from: "/a", to: "/b" }, { from: "/a", to: "/c" }] }),
        /"redirects\[1\]\.from" repeats/,
      ],
      [
        JSON.stringify({ redirects: [{ from: "/a", to: "/b", code: 301 }] }),
        /"redirects\[0\]\.code" is not a known key/,
      ],
    ];
    for (const [text, message] of cases) {
      const res = await server.api(
        "POST",
        "/apps/bad/versions",
        zipOf({ "index.html": "x", "switchyard.json": text }),
        { "content-type": "application/zip" },
      );
      const body = await res.json();
      assert.equal(res.status, 422, text);
      assert.equal(body.error.code, "package_invalid_switchyard_json", text);
      assert.match(body.error.message, message, text);
      assert.equal(body.error.details.entry, "switchyard.json");
    }
    const versions = await (await server.api("GET", "/apps/bad/versions")).json();
    assert.equal(versions.items.length, 0, "nothing was recorded");
  } finally {
    await server.close();
  }
});
