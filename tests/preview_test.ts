/** Test links: opening, the preview cookie, its limits, revocation and expiry. */
import assert from "node:assert/strict";
import { startServer, type TestServer } from "./helpers/server.ts";
import { install, promote } from "./helpers/fixtures.ts";
import { createSwitchyard } from "../server.ts";
import { rawRequest } from "./helpers/http.ts";

async function twoVersions(server: TestServer, slug: string) {
  await install(server, slug, { "index.html": "<body><p>live</p></body>", "a.js": "live" });
  await install(server, slug, { "index.html": "<body><p>candidate</p></body>", "a.js": "c" });
  await promote(server, slug, 1);
}

async function createLink(server: TestServer, slug: string, body: Record<string, unknown> = {}) {
  const res = await server.api("POST", `/apps/${slug}/versions/2/links`, {
    label: "review",
    ...body,
  });
  assert.equal(res.status, 201);
  return await res.json() as { id: string; url: string; expires_at: string };
}

async function open(server: TestServer, slug: string, url: string) {
  const u = new URL(url);
  const res = await server.edge(slug, u.pathname + u.search);
  return { res, cookie: (res.headers.get("set-cookie") ?? "").split(";")[0] };
}

Deno.test("a test link sets a strict cookie, redirects without the token and shows its version", async () => {
  const server = await startServer();
  try {
    await twoVersions(server, "shop");
    const link = await createLink(server, "shop");
    assert.match(link.url, /^http:\/\/shop\.localhost:\d+\/_switchyard\/preview\?token=syt_/);
    const { res, cookie } = await open(server, "shop", link.url);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), "/");
    const setCookie = res.headers.get("set-cookie")!;
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Lax/);
    assert.ok(!setCookie.includes("syt_"), "the token never goes into the cookie");

    const page = await server.edge("shop", "/", { headers: { cookie } });
    assert.match(page.text(), /candidate/);
    assert.match(page.text(), /Preview of v2 · <a href="\/_switchyard\/preview\/exit"/);
    assert.equal(page.headers.get("cache-control"), "private, no-store");
    assert.equal(page.headers.get("x-robots-tag"), "noindex");
    assert.equal(page.headers.get("referrer-policy"), "no-referrer");
    const script = await server.edge("shop", "/a.js", { headers: { cookie } });
    assert.ok(!script.text().includes("Preview of"), "only HTML pages get the banner");

    const plain = await server.edge("shop", "/");
    assert.match(plain.text(), /live/);

    const exit = await server.edge("shop", "/_switchyard/preview/exit", { headers: { cookie } });
    assert.equal(exit.status, 303);
    assert.match(exit.headers.get("set-cookie")!, /Max-Age=0/);

    const listed = await (await server.api("GET", "/apps/shop/links")).json();
    assert.equal(listed.items[0].visits, 1);
    assert.ok(!JSON.stringify(listed).includes("syt_"));
  } finally {
    await server.close();
  }
});

Deno.test("a preview cookie grants nothing on another app, and forged tokens get a plain page", async () => {
  const server = await startServer();
  try {
    await twoVersions(server, "one");
    await twoVersions(server, "two");
    const link = await createLink(server, "one");
    const { cookie } = await open(server, "one", link.url);
    const other = await server.edge("two", "/", { headers: { cookie } });
    assert.match(other.text(), /live/);
    assert.equal(other.headers.get("cache-control"), "no-cache");

    const token = new URL(link.url).searchParams.get("token");
    const wrongHost = await server.edge("two", `/_switchyard/preview?token=${token}`);
    assert.equal(wrongHost.status, 404);
    assert.match(wrongHost.text(), /not valid/);
    const forged = await server.edge("one", `/_switchyard/preview?token=syt_${"A".repeat(32)}`);
    assert.equal(forged.status, 404);
    const tampered = await server.edge("one", "/", {
      headers: { cookie: cookie.replace(/.$/, (c) => (c === "A" ? "B" : "A")) },
    });
    assert.match(tampered.text(), /live/);
  } finally {
    await server.close();
  }
});

Deno.test("a banner can be turned off per link", async () => {
  const server = await startServer();
  try {
    await twoVersions(server, "quiet");
    const link = await createLink(server, "quiet", { banner: false });
    const { cookie } = await open(server, "quiet", link.url);
    const page = await server.edge("quiet", "/", { headers: { cookie } });
    assert.match(page.text(), /candidate/);
    assert.ok(!page.text().includes("Preview of"));
  } finally {
    await server.close();
  }
});

Deno.test("revocation is seen by a second handler on the same KV within its revalidation", async () => {
  const server = await startServer({ revalidateMs: 300 });
  const second = createSwitchyard(server.kv, { ...server.config });
  const otherServer = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, second.fetch);
  try {
    await twoVersions(server, "rev");
    const link = await createLink(server, "rev");
    const { cookie } = await open(server, "rev", link.url);
    const viaSecond = () =>
      rawRequest(otherServer.addr.port, { path: "/", host: "rev.localhost", headers: { cookie } });
    assert.match((await viaSecond()).text(), /candidate/);
    assert.equal((await server.api("DELETE", `/apps/rev/links/${link.id}`)).status, 204);
    assert.match((await server.edge("rev", "/", { headers: { cookie } })).text(), /live/);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const after = await viaSecond();
    assert.match(after.text(), /live/);
    assert.match(after.headers.get("set-cookie") ?? "", /sy_preview=;.*Max-Age=0/);
    const reopened = await open(server, "rev", link.url);
    assert.equal(reopened.res.status, 410);
    assert.match(reopened.res.text(), /revoked/);
  } finally {
    await otherServer.shutdown();
    await second.close();
    await server.close();
  }
});

Deno.test("a link expires on time (injected clock) and its lifetime is bounded", async () => {
  let now = Date.parse("2026-11-26T12:00:00Z");
  const server = await startServer({ now: () => now, revalidateMs: 1 });
  try {
    await twoVersions(server, "exp");
    const link = await createLink(server, "exp", { expires_in_hours: 2 });
    assert.equal(link.expires_at, "2026-11-26T14:00:00.000Z");
    const { cookie } = await open(server, "exp", link.url);
    assert.match((await server.edge("exp", "/", { headers: { cookie } })).text(), /candidate/);
    now += 2 * 3_600_000;
    assert.match((await server.edge("exp", "/", { headers: { cookie } })).text(), /live/);
    const reopened = await open(server, "exp", link.url);
    assert.equal(reopened.res.status, 410);
    assert.match(reopened.res.text(), /expired/);

    const defaults = await createLink(server, "exp");
    assert.equal(defaults.expires_at, new Date(now + 168 * 3_600_000).toISOString());
    const tooLong = await server.api("POST", "/apps/exp/versions/2/links", {
      label: "x",
      expires_in_hours: 721,
    });
    assert.equal(tooLong.status, 422);
    await tooLong.body?.cancel();
    const missing = await server.api("POST", "/apps/exp/versions/9/links", { label: "x" });
    assert.equal(missing.status, 404);
    await missing.body?.cancel();
  } finally {
    await server.close();
  }
});

Deno.test("deleting a version revokes its test links", async () => {
  const server = await startServer();
  try {
    await twoVersions(server, "gone");
    const link = await createLink(server, "gone");
    assert.equal((await server.api("DELETE", "/apps/gone/versions/2")).status, 204);
    const listed = await (await server.api("GET", "/apps/gone/links")).json();
    assert.ok(listed.items[0].revoked_at, "listed as revoked");
    const reopened = await open(server, "gone", link.url);
    assert.equal(reopened.res.status, 410);
    assert.match(reopened.res.text(), /version of this test link was deleted/);
  } finally {
    await server.close();
  }
});

Deno.test("a preview's 404 page is private and not for search engines, like the rest of it", async () => {
  const server = await startServer();
  try {
    await install(server, "lost", { "index.html": "<p>live</p>" });
    await install(server, "lost", {
      "index.html": "<p>candidate</p>",
      "404.html": "<p>lost</p>",
      "switchyard.json": '{"spa": false}',
    });
    await promote(server, "lost", 1);
    const link = await createLink(server, "lost");
    const { cookie } = await open(server, "lost", link.url);
    const missing = await server.edge("lost", "/nowhere", {
      headers: { cookie, accept: "text/html", "sec-fetch-mode": "navigate" },
    });
    assert.equal(missing.status, 404);
    assert.match(missing.text(), /lost/);
    assert.equal(missing.headers.get("cache-control"), "private, no-store");
    assert.equal(missing.headers.get("x-robots-tag"), "noindex");
  } finally {
    await server.close();
  }
});
