/** `GET /api/v1/apps/{slug}/versions/{n}/diff` over HTTP, against live and against a number. */
import assert from "node:assert/strict";
import { install, promote } from "./helpers/fixtures.ts";
import { startServer } from "./helpers/server.ts";

Deno.test("diff names the changed, added and removed files against live", async () => {
  const server = await startServer();
  try {
    const one = await install(server, "shop", {
      "index.html": "<h1>Shop</h1>",
      "app.js": "console.log(1)",
      "old.css": "p{}",
    });
    const two = await install(server, "shop", {
      "index.html": "<h1>Shop</h1>",
      "app.js": "console.log(2)",
      "new.css": "a{}",
    });

    const before = await (await server.api("GET", `/apps/shop/versions/${two}/diff`)).json();
    assert.equal(before.against, null, "nothing live: compared with nothing");
    assert.equal(before.added.length, 3);

    await promote(server, "shop", one);
    const res = await server.api("GET", `/apps/shop/versions/${two}/diff`);
    assert.equal(res.status, 200);
    const diff = await res.json();
    assert.equal(diff.against, one);
    assert.deepEqual(diff.changed.map((f: { path: string }) => f.path), ["app.js"]);
    assert.deepEqual(diff.added.map((f: { path: string }) => f.path), ["new.css"]);
    assert.deepEqual(diff.removed.map((f: { path: string }) => f.path), ["old.css"]);
    assert.equal(diff.unchanged, 1);
    assert.notEqual(diff.changed[0].before.sha256, diff.changed[0].after.sha256);

    const reverse =
      await (await server.api("GET", `/apps/shop/versions/${one}/diff?against=${two}`))
        .json();
    assert.deepEqual(reverse.removed.map((f: { path: string }) => f.path), ["new.css"]);
  } finally {
    await server.close();
  }
});

Deno.test("diff refuses a malformed 'against' with 422 and a missing version with 404", async () => {
  const server = await startServer();
  try {
    const one = await install(server, "shop", { "index.html": "<p>1</p>" });
    const bad = await server.api("GET", `/apps/shop/versions/${one}/diff?against=01`);
    assert.equal(bad.status, 422);
    assert.match((await bad.json()).error.message, /against/);
    const missing = await server.api("GET", `/apps/shop/versions/${one}/diff?against=7`);
    assert.equal(missing.status, 404);
    assert.match((await missing.json()).error.message, /7/);
  } finally {
    await server.close();
  }
});
