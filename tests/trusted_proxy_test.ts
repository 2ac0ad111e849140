/**
 * Behind a TLS-terminating proxy (docs/OPERATING.md "One machine behind TLS"): the edge's cookies
 * are `Secure` with the `__Host-` prefix when the proxy says the shopper came over HTTPS, and only
 * a TCP peer named by `SWITCHYARD_TRUSTED_PROXY` is believed. The real server on a real socket:
 * every request here comes from 127.0.0.1.
 */
import assert from "node:assert/strict";
import { loadConfig } from "../config.ts";
import { startServer, type TestServer } from "./helpers/server.ts";
import { install, NAVIGATION, promote, setCookies, SUBRESOURCE } from "./helpers/fixtures.ts";

const FORWARDED_HTTPS = { "x-forwarded-proto": "https" };

const V1 = { "index.html": "<p>page one</p>", "app.js": "app one" };
const V2 = { "index.html": "<p>page two</p>", "app.js": "app two" };

/** A server started with `SWITCHYARD_TRUSTED_PROXY` set to `proxy` (or unset). */
function serverBehind(proxy: string | undefined): Promise<TestServer> {
  const env = (name: string) => name === "SWITCHYARD_TRUSTED_PROXY" ? proxy : undefined;
  return startServer({ trustedProxy: loadConfig(env).trustedProxy });
}

async function withServer(proxy: string | undefined, test: (server: TestServer) => Promise<void>) {
  const server = await serverBehind(proxy);
  try {
    await test(server);
  } finally {
    await server.close();
  }
}

/** App `slug` with two versions: v1 live, or split 50/50 between them when `split`. */
async function twoVersions(server: TestServer, slug: string, split: boolean) {
  await install(server, slug, V1);
  await install(server, slug, V2);
  if (!split) return await promote(server, slug, 1);
  const res = await server.api("PUT", `/apps/${slug}/live`, {
    split: [{ version: 1, weight: 50 }, { version: 2, weight: 50 }],
  });
  assert.equal(res.status, 200, await res.clone().text());
  await res.body?.cancel();
}

/** The `Set-Cookie` lines of a navigation, a preview's opening and its exit, with `headers`. */
async function cookiesSet(server: TestServer, headers: Record<string, string>) {
  await twoVersions(server, "shop", true);
  const page = await server.edge("shop", "/", { headers: { ...NAVIGATION, ...headers } });
  assert.equal(page.status, 200);
  const res = await server.api("POST", "/apps/shop/versions/2/links", { label: "proxy" });
  assert.equal(res.status, 201);
  const link = new URL((await res.json() as { url: string }).url);
  const opened = await server.edge("shop", link.pathname + link.search, { headers });
  assert.equal(opened.status, 303);
  const exit = await server.edge("shop", "/_switchyard/preview/exit", { headers });
  return [
    ...page.headers.getSetCookie(),
    ...opened.headers.getSetCookie(),
    ...exit.headers.getSetCookie(),
  ];
}

/** Set by a navigation (in any order), then by a preview's opening, then by its exit. */
const NAMES = ["sy_pin", "sy_seen", "sy_visitor", "sy_preview", "sy_preview"];

function namesOf(lines: string[]): string[] {
  const names = lines.map((line) => line.slice(0, line.indexOf("=")));
  return [...names.slice(0, 3).sort(), ...names.slice(3)];
}

function assertPlain(lines: string[]) {
  assert.deepEqual(namesOf(lines), NAMES);
  for (const line of lines) assert.doesNotMatch(line, /Secure/i, line);
}

function assertHostPrefixed(lines: string[]) {
  assert.deepEqual(namesOf(lines), NAMES.map((name) => `__Host-${name}`));
  for (const line of lines) {
    // RFC 6265bis §4.1.3.2: Secure, Path=/ and no Domain, or the browser drops the cookie.
    assert.match(line, /; Path=\/;/, line);
    assert.match(line, /; Secure$/, line);
    assert.doesNotMatch(line, /Domain=/i, line);
  }
  assert.match(lines[4], /^__Host-sy_preview=; .*Max-Age=0/, "exit clears the prefixed cookie");
}

Deno.test("X-Forwarded-Proto from a peer that is not the trusted proxy leaves cookies plain", async () => {
  await withServer(undefined, async (server) => {
    assertPlain(await cookiesSet(server, FORWARDED_HTTPS));
  });
  await withServer("10.0.0.2, ::1", async (server) => {
    assertPlain(await cookiesSet(server, { ...FORWARDED_HTTPS, forwarded: "proto=https" }));
  });
});

Deno.test("from the trusted proxy, X-Forwarded-Proto: https makes every cookie Secure and __Host-", async () => {
  await withServer("127.0.0.1", async (server) => {
    assertHostPrefixed(await cookiesSet(server, FORWARDED_HTTPS));
  });
});

Deno.test("from the trusted proxy, Forwarded: for=…;proto=https does the same", async () => {
  await withServer("10.0.0.0/8, 127.0.0.0/8", async (server) => {
    const forwarded = 'for=198.51.100.17;proto=https;host="shop.localhost"';
    assertHostPrefixed(await cookiesSet(server, { forwarded }));
  });
});

Deno.test("from the trusted proxy, a request over plain HTTP keeps plain cookies", async () => {
  await withServer("127.0.0.1", async (server) => {
    assertPlain(await cookiesSet(server, { "x-forwarded-proto": "http" }));
  });
});

Deno.test("over HTTPS the edge reads its __Host- cookies back: pin, preview, visitor, seen", async () => {
  await withServer("127.0.0.1", async (server) => {
    await twoVersions(server, "shop", false);
    const https = (path: string, headers: Record<string, string>, cookie?: string) =>
      server.edge("shop", path, {
        headers: { ...FORWARDED_HTTPS, ...headers, ...(cookie ? { cookie } : {}) },
      });
    const page = await https("/", NAVIGATION);
    const cookies = setCookies(page.headers);
    const pin = cookies.get("__Host-sy_pin")!;
    const seen = cookies.get("__Host-sy_seen")!;
    assert.ok(pin && seen, [...cookies.keys()].join());
    await promote(server, "shop", 2);

    // A pinned asset comes from the page's version; a plain-named pin over HTTPS is ignored.
    assert.equal((await https("/app.js", SUBRESOURCE, pin)).text(), "app one");
    assert.equal((await https("/app.js", SUBRESOURCE, pin.slice(7))).text(), "app two");

    // Seen today: the next page counts no new visitor and sets no seen cookie.
    const again = await https("/", NAVIGATION, `other=1; ${seen}; ${pin}`);
    assert.ok(!setCookies(again.headers).has("__Host-sy_seen"));

    // A preview opened over HTTPS is read back from its __Host- cookie.
    const res = await server.api("POST", "/apps/shop/versions/1/links", { label: "proxy" });
    const link = new URL((await res.json() as { url: string }).url);
    const opened = await https(link.pathname + link.search, {});
    const preview = setCookies(opened.headers).get("__Host-sy_preview")!;
    const previewed = await https("/", NAVIGATION, preview);
    assert.match(previewed.text(), /page one.*Preview of v1/s);
    const plain = await https("/", NAVIGATION, preview.slice(7));
    assert.match(plain.text(), /page two/, "the plain name is not a preview over HTTPS");
  });
});

Deno.test("over HTTPS a split shopper keeps their arm through the __Host- visitor cookie", async () => {
  await withServer("127.0.0.1", async (server) => {
    await twoVersions(server, "shop", true);
    const first = await server.edge("shop", "/", {
      headers: { ...NAVIGATION, ...FORWARDED_HTTPS },
    });
    const visitor = setCookies(first.headers).get("__Host-sy_visitor")!;
    for (let i = 0; i < 5; i++) {
      const next = await server.edge("shop", "/", {
        headers: { ...NAVIGATION, ...FORWARDED_HTTPS, cookie: visitor },
      });
      assert.equal(next.text(), first.text());
      assert.ok(!setCookies(next.headers).has("__Host-sy_visitor"), "no new shopper id");
    }
  });
});

Deno.test("over plain HTTP the plain-named cookies are still read (a move to HTTPS)", async () => {
  await withServer("127.0.0.1", async (server) => {
    await twoVersions(server, "shop", false);
    const page = await server.edge("shop", "/", { headers: NAVIGATION });
    const pin = setCookies(page.headers).get("sy_pin")!;
    await promote(server, "shop", 2);
    const asset = await server.edge("shop", "/app.js", {
      headers: { ...SUBRESOURCE, cookie: pin },
    });
    assert.equal(asset.text(), "app one");
  });
});

Deno.test("a SWITCHYARD_TRUSTED_PROXY that is no address list stops the start, naming the entry", () => {
  const env = (value: string) => (name: string) =>
    name === "SWITCHYARD_TRUSTED_PROXY" ? value : undefined;
  assert.throws(
    () => loadConfig(env("127.0.0.1, proxy.internal")),
    /"SWITCHYARD_TRUSTED_PROXY" must list IP addresses or CIDR ranges: "proxy\.internal"/,
  );
  assert.equal(loadConfig(env("")).trustedProxy, null, "empty is unset");
  assert.equal(loadConfig(() => undefined).trustedProxy, null, "off by default");
});
