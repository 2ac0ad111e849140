/**
 * Skew protection (ARCHITECTURE "The edge at production grade"): a page loaded before a switch
 * keeps loading its own version's assets — through a short-lived signed pin cookie, and for
 * content-hashed assets through the versions live before, cookie or not. Never for navigations or
 * HTML.
 */
import assert from "node:assert/strict";
import { startServer, type TestServer } from "./helpers/server.ts";
import {
  countingKv,
  install,
  NAVIGATION,
  promote,
  setCookies,
  SUBRESOURCE,
} from "./helpers/fixtures.ts";
import { createEdge, type Edge } from "../edge/handler.ts";
import type { Config } from "../config.ts";

const V1 = {
  "index.html": "<p>page one</p>",
  "page.html": "<p>other page one</p>",
  "app.js": "app one",
  "assets/main.1a2b3c4d.js": "hashed one",
};
const V2 = {
  "index.html": "<p>page two</p>",
  "page.html": "<p>other page two</p>",
  "app.js": "app two",
  "assets/main.9e8d7c6b.js": "hashed two",
};

async function switched(test: (server: TestServer, pin: string) => Promise<void>) {
  const server = await startServer();
  try {
    await install(server, "skew", V1);
    await promote(server, "skew", 1);
    const page = await server.edge("skew", "/", { headers: NAVIGATION });
    const pin = setCookies(page.headers).get("sy_pin")!;
    assert.match(pin, /^sy_pin=1\.\d{10}\.[\w-]{22}$/);
    await install(server, "skew", V2);
    await promote(server, "skew", 2);
    await test(server, pin);
  } finally {
    await server.close();
  }
}

Deno.test("an HTML navigation pins the shopper to its version with a short-lived cookie", async () => {
  const server = await startServer();
  try {
    await install(server, "pin", V1);
    await promote(server, "pin", 1);
    const page = await server.edge("pin", "/", { headers: NAVIGATION });
    const line = page.headers.getSetCookie().find((l) => l.startsWith("sy_pin="))!;
    assert.match(line, /Max-Age=3600; HttpOnly; SameSite=Lax$/);
    const asset = await server.edge("pin", "/app.js", { headers: SUBRESOURCE });
    assert.equal(setCookies(asset.headers).get("sy_pin"), undefined, "assets do not pin");
    const again = await server.edge("pin", "/", {
      headers: { ...NAVIGATION, "if-none-match": page.headers.get("etag")! },
    });
    assert.equal(again.status, 304);
    assert.ok(setCookies(again.headers).has("sy_pin"), "a revalidated page renews the pin");
  } finally {
    await server.close();
  }
});

Deno.test("after a switch a pinned page keeps getting its own version's assets", async () => {
  await switched(async (server, pin) => {
    const headers = { ...SUBRESOURCE, cookie: pin };
    const app = await server.edge("skew", "/app.js", { headers });
    assert.equal(app.text(), "app one");
    assert.equal(app.headers.get("cache-control"), "private, no-cache");
    const hashed = await server.edge("skew", "/assets/main.1a2b3c4d.js", { headers });
    assert.equal(hashed.text(), "hashed one");
    assert.equal(hashed.headers.get("cache-control"), "public, max-age=31536000, immutable");
    const fresh = await server.edge("skew", "/assets/main.9e8d7c6b.js", { headers });
    assert.equal(
      fresh.text(),
      "hashed two",
      "what the pinned version lacks comes from the live one",
    );
    assert.equal(
      (await server.edge("skew", "/app.js")).text(),
      "app two",
      "others get the live one",
    );
  });
});

Deno.test("a pin never applies to navigations or HTML, and a new page moves the pin", async () => {
  await switched(async (server, pin) => {
    const nav = await server.edge("skew", "/", { headers: { ...NAVIGATION, cookie: pin } });
    assert.equal(nav.text(), "<p>page two</p>");
    assert.match(setCookies(nav.headers).get("sy_pin")!, /^sy_pin=2\./);
    const html = await server.edge("skew", "/page.html", {
      headers: { ...SUBRESOURCE, cookie: pin },
    });
    assert.equal(html.text(), "<p>other page two</p>", "HTML is never served from a pin");
    const navAsset = await server.edge("skew", "/app.js", {
      headers: { ...NAVIGATION, cookie: pin },
    });
    assert.equal(navAsset.text(), "app two", "opening an asset in a tab is a navigation");
  });
});

Deno.test("a forged or foreign pin is ignored", async () => {
  await switched(async (server, pin) => {
    const [, value] = pin.split("=");
    const [, issued, mac] = value.split(".");
    const forged = [
      `sy_pin=1.${issued}.${"A".repeat(22)}`,
      `sy_pin=${value.replace(/.$/, (c) => (c === "A" ? "B" : "A"))}`,
      `sy_pin=3.${issued}.${mac}`,
      `sy_pin=1.${Number(issued) + 1}.${mac}`,
      `sy_pin=1.${mac}`,
      "sy_pin=1",
      "sy_pin=garbage",
    ];
    for (const cookie of forged) {
      const res = await server.edge("skew", "/app.js", { headers: { ...SUBRESOURCE, cookie } });
      assert.equal(res.text(), "app two", cookie);
    }
    const other = await startServer();
    try {
      await install(other, "skew", V1);
      await promote(other, "skew", 1);
      await install(other, "skew", V2);
      await promote(other, "skew", 2);
      const foreign = await other.edge("skew", "/app.js", {
        headers: { ...SUBRESOURCE, cookie: pin },
      });
      assert.equal(foreign.text(), "app two", "a pin signed by another installation is void");
    } finally {
      await other.close();
    }
  });
});

Deno.test("without a cookie a hashed asset missing from the live version comes from earlier ones", async () => {
  await switched(async (server) => {
    const old = await server.edge("skew", "/assets/main.1a2b3c4d.js", { headers: SUBRESOURCE });
    assert.equal(old.status, 200);
    assert.equal(old.text(), "hashed one");
    const plain = await server.edge("skew", "/gone.js", { headers: SUBRESOURCE });
    assert.equal(plain.status, 404, "only content-hashed names are looked for in earlier versions");
    await install(server, "skew", { "index.html": "x", "assets/next.5f5f5f5f.js": "unreleased" });
    const unreleased = await server.edge("skew", "/assets/next.5f5f5f5f.js", {
      headers: SUBRESOURCE,
    });
    assert.equal(unreleased.status, 404, "a version never live is never a source");
    const missing = await server.edge("skew", "/assets/none.1234abcd.js", { headers: SUBRESOURCE });
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get("cache-control"), "no-store");
  });
});

Deno.test("after a rollback the pinned newer version still serves its assets", async () => {
  await switched(async (server) => {
    const page = await server.edge("skew", "/", { headers: NAVIGATION });
    const pin = setCookies(page.headers).get("sy_pin")!;
    const res = await server.api("POST", "/apps/skew/rollback");
    assert.equal(res.status, 200);
    await res.body?.cancel();
    const hashed = await server.edge("skew", "/assets/main.9e8d7c6b.js", {
      headers: { ...SUBRESOURCE, cookie: pin },
    });
    assert.equal(hashed.text(), "hashed two");
  });
});

function assetRequest(edge: Edge, slug: string, path: string, cookie?: string) {
  const headers: Record<string, string> = { ...SUBRESOURCE };
  if (cookie) headers.cookie = cookie;
  return edge.handle(
    new Request(`http://${slug}.localhost${path}`, { headers }),
    `${slug}.localhost`,
  );
}

Deno.test("a forged pin is refused before any version is read", async () => {
  const server = await startServer();
  const { kv, calls } = countingKv(server.kv);
  const edge = createEdge(kv, { ...server.config, revalidateMs: 60_000 } as Config);
  try {
    await install(server, "forge", V1);
    await promote(server, "forge", 1);
    assert.equal(await (await assetRequest(edge, "forge", "/app.js")).text(), "app one");
    const before = calls.reads;
    const issued = Math.floor(Date.now() / 1000);
    const answers = await Promise.all(
      Array.from(
        { length: 200 },
        (_, i) =>
          assetRequest(edge, "forge", "/app.js", `sy_pin=${2 + i}.${issued}.${"A".repeat(22)}`),
      ),
    );
    for (const res of answers) assert.equal(await res.text(), "app one");
    assert.equal(calls.reads, before, "a forged pin costs no KV read");
    assert.equal(await (await assetRequest(edge, "forge", "/app.js")).text(), "app one");
    assert.equal(calls.reads, before, "and the live table is still in memory");
  } finally {
    await edge.close();
    await server.close();
  }
});

Deno.test("tables of pinned versions never push the live version's table out", async () => {
  const server = await startServer();
  try {
    const pins: string[] = [];
    for (let v = 1; v <= 27; v++) {
      await install(server, "many", { "index.html": `<p>${v}</p>`, "app.js": `app ${v}` });
      await promote(server, "many", v);
      const page = await server.edge("many", "/", { headers: NAVIGATION });
      pins.push(setCookies(page.headers).get("sy_pin")!);
    }
    await promote(server, "many", 1);
    const { kv, calls } = countingKv(server.kv);
    const edge = createEdge(kv, { ...server.config, revalidateMs: 60_000 } as Config);
    try {
      assert.equal(await (await assetRequest(edge, "many", "/app.js")).text(), "app 1");
      for (let v = 2; v <= 27; v++) {
        const res = await assetRequest(edge, "many", "/app.js", pins[v - 1]);
        assert.equal(await res.text(), `app ${v}`, "a genuine pin is honoured");
      }
      const before = calls.reads;
      assert.equal(await (await assetRequest(edge, "many", "/app.js")).text(), "app 1");
      assert.equal(calls.reads, before, "the live table was not evicted");
    } finally {
      await edge.close();
    }
  } finally {
    await server.close();
  }
});

Deno.test("a pin stops holding an hour after it was issued, whatever the browser keeps", async () => {
  let now = Date.now();
  const server = await startServer({ now: () => now });
  try {
    await install(server, "aged", V1);
    await promote(server, "aged", 1);
    const page = await server.edge("aged", "/", { headers: NAVIGATION });
    const pin = setCookies(page.headers).get("sy_pin")!;
    await install(server, "aged", V2);
    await promote(server, "aged", 2);
    const pinned = async () =>
      (await server.edge("aged", "/app.js", { headers: { ...SUBRESOURCE, cookie: pin } })).text();
    assert.equal(await pinned(), "app one");
    now += 59 * 60_000;
    assert.equal(await pinned(), "app one", "within its hour");
    now += 3 * 60_000;
    assert.equal(await pinned(), "app two", "an old pin is void on the server");
  } finally {
    await server.close();
  }
});

Deno.test("pages hand out a freshly issued pin as time goes on", async () => {
  let now = Date.now();
  const server = await startServer({ now: () => now });
  try {
    await install(server, "fresh", V1);
    await promote(server, "fresh", 1);
    const pinOf = async () =>
      setCookies((await server.edge("fresh", "/", { headers: NAVIGATION })).headers)
        .get("sy_pin")!;
    const first = await pinOf();
    assert.equal(await pinOf(), first, "the same value within a minute (built once)");
    now += 30 * 60_000;
    const later = await pinOf();
    assert.notEqual(later, first);
    assert.ok(
      Number(later.split(".")[1]) - Number(first.split(".")[1]) >= 30 * 60,
      "the issue time moved on",
    );
    await install(server, "fresh", V2);
    await promote(server, "fresh", 2);
    now += 45 * 60_000; // the first pin is 75 minutes old, the later one 45
    const asset = (cookie: string) =>
      server.edge("fresh", "/app.js", { headers: { ...SUBRESOURCE, cookie } });
    assert.equal((await asset(first)).text(), "app two");
    assert.equal((await asset(later)).text(), "app one");
  } finally {
    await server.close();
  }
});

Deno.test("an ordinary name with a number is cached briefly and never taken from an earlier version", async () => {
  const server = await startServer();
  try {
    await install(server, "photos", {
      "index.html": "<p>one</p>",
      "img/product-photo-01.jpg": "old photo",
      "assets/index-BxQ3aF9k.js": "bundle one",
    });
    await promote(server, "photos", 1);
    const photo = await server.edge("photos", "/img/product-photo-01.jpg", {
      headers: SUBRESOURCE,
    });
    assert.equal(photo.headers.get("cache-control"), "public, max-age=300, must-revalidate");
    const bundle = await server.edge("photos", "/assets/index-BxQ3aF9k.js", {
      headers: SUBRESOURCE,
    });
    assert.equal(bundle.headers.get("cache-control"), "public, max-age=31536000, immutable");
    await install(server, "photos", { "index.html": "<p>two</p>" });
    await promote(server, "photos", 2);
    const removed = await server.edge("photos", "/img/product-photo-01.jpg", {
      headers: SUBRESOURCE,
    });
    assert.equal(removed.status, 404, "a file the merchant removed is gone");
    const chunk = await server.edge("photos", "/assets/index-BxQ3aF9k.js", {
      headers: SUBRESOURCE,
    });
    assert.equal(chunk.text(), "bundle one", "a hashed bundle still comes from before");
  } finally {
    await server.close();
  }
});
