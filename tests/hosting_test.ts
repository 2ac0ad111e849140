/** Upload → promote → serve → rollback against the real server, as a merchant and a shopper. */
import assert from "node:assert/strict";
import { zipOf } from "./fixtures/archives.ts";
import { startServer, type TestServer } from "./helpers/server.ts";

let counter = 0;
async function randomApp(server: TestServer): Promise<string> {
  const slug = `shop-${Date.now().toString(36)}-${counter++}`;
  const res = await server.api("POST", "/apps", { slug, name: "Shop" });
  assert.equal(res.status, 201, await res.clone().text());
  await res.body?.cancel();
  return slug;
}

async function uploadZip(server: TestServer, slug: string, files: Record<string, string>) {
  const res = await server.api("POST", `/apps/${slug}/versions?label=l&message=m`, zipOf(files), {
    "content-type": "application/zip",
  });
  const body = await res.json();
  assert.equal(res.status, 201, JSON.stringify(body));
  return body;
}

Deno.test("an uploaded version goes live, is served, and rolls back", async () => {
  const server = await startServer();
  try {
    const slug = await randomApp(server);
    const v1 = await uploadZip(server, slug, { "index.html": "<h1>one</h1>", "app.js": "1" });
    const v2 = await uploadZip(server, slug, { "index.html": "<h1>two</h1>", "app.js": "2" });
    assert.deepEqual([v1.number, v1.status, v2.number], [1, "ready", 2]);

    let page = await server.edge(slug, "/");
    assert.equal(page.status, 404);
    assert.match(page.text(), /This store is not open yet/);

    let res = await server.api("PUT", `/apps/${slug}/live`, { version: 1, expect: null });
    assert.deepEqual(await res.json(), { version: 1, previous: null });
    page = await server.edge(slug, "/");
    assert.equal(page.text(), "<h1>one</h1>");

    res = await server.api("PUT", `/apps/${slug}/live`, { version: 2, expect: 1 });
    assert.deepEqual(await res.json(), { version: 2, previous: 1 });
    assert.equal((await server.edge(slug, "/")).text(), "<h1>two</h1>");
    assert.equal((await server.edge(slug, "/app.js")).text(), "2");

    res = await server.api("POST", `/apps/${slug}/rollback`);
    assert.deepEqual(await res.json(), { version: 1, previous: 2 });
    assert.equal((await server.edge(slug, "/")).text(), "<h1>one</h1>");

    res = await server.api("POST", `/apps/${slug}/rollback`);
    assert.equal(res.status, 409);
    await res.body?.cancel();

    res = await server.api("GET", `/apps/${slug}/releases`);
    const releases = (await res.json()).items;
    assert.deepEqual(releases.map((r: { kind: string; version: number }) => [r.kind, r.version]), [
      ["rollback", 1],
      ["promote", 2],
      ["promote", 1],
    ]);

    res = await server.api("GET", `/apps/${slug}`);
    assert.equal((await res.json()).live, 1);
  } finally {
    await server.close();
  }
});

Deno.test("50 concurrent conditional promotes: one 200, the rest 409, one release each 200", async () => {
  const server = await startServer();
  try {
    const slug = await randomApp(server);
    await uploadZip(server, slug, { "index.html": "a" });
    await uploadZip(server, slug, { "index.html": "b" });
    await uploadZip(server, slug, { "index.html": "c" });
    const first = await server.api("PUT", `/apps/${slug}/live`, { version: 1, expect: null });
    assert.equal(first.status, 200);
    await first.body?.cancel();
    const results = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const res = await server.api("PUT", `/apps/${slug}/live`, {
          version: 2 + (i % 2),
          expect: 1,
        });
        await res.body?.cancel();
        return res.status;
      }),
    );
    assert.deepEqual(new Set(results), new Set([200, 409]));
    const oks = results.filter((status) => status === 200).length;
    assert.equal(oks, 1);
    const releases = (await (await server.api("GET", `/apps/${slug}/releases`)).json()).items;
    assert.equal(releases.length, 1 + oks);
  } finally {
    await server.close();
  }
});

Deno.test("promote refuses a version that is not ready, and a stale expect", async () => {
  const server = await startServer();
  try {
    const slug = await randomApp(server);
    await uploadZip(server, slug, { "index.html": "a" });
    const manifest = {
      files: [{ path: "index.html", sha256: "a".repeat(64), size: 3 }],
    };
    let res = await server.api("POST", `/apps/${slug}/versions`, manifest);
    assert.equal(res.status, 201);
    assert.equal((await res.json()).version.status, "uploading");
    res = await server.api("PUT", `/apps/${slug}/live`, { version: 2 });
    assert.equal(res.status, 422);
    assert.equal((await res.json()).error.code, "version_not_ready");
    res = await server.api("PUT", `/apps/${slug}/live`, { version: 1, expect: 3 });
    assert.equal(res.status, 409);
    await res.body?.cancel();
    res = await server.api("PUT", `/apps/${slug}/live`, { version: 1 });
    assert.equal(res.status, 200);
    await res.body?.cancel();
    res = await server.api("DELETE", `/apps/${slug}/versions/1`);
    assert.equal(res.status, 409);
    await res.body?.cancel();
    res = await server.api("DELETE", `/apps/${slug}/versions/2`);
    assert.equal(res.status, 204);
  } finally {
    await server.close();
  }
});
