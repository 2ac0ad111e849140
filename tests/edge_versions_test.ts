/**
 * A deleted version is never served again: not through the earlier-version fallback, a pin or
 * a preview — at once in the process that deleted it, and within the revalidation interval in
 * an edge that only revalidates (another process or region). Tables nobody asks for go.
 */
import assert from "node:assert/strict";
import { startServer, type TestServer } from "./helpers/server.ts";
import {
  install,
  NAVIGATION,
  promote,
  setCookies,
  SUBRESOURCE,
  until,
} from "./helpers/fixtures.ts";
import { createEdge, type Edge } from "../edge/handler.ts";
import type { Config } from "../config.ts";

const V1 = {
  "index.html": "<body><p>page one</p></body>",
  "app.js": "app one",
  "assets/main.1a2b3c4d.js": "hashed one",
};
const V2 = { "index.html": "<body><p>page two</p></body>", "app.js": "app two" };

interface Seen {
  /** The pin a shopper got from a page of version 1. */
  pin: string;
  /** The preview cookie of a test link to version 1, and the link's URL. */
  preview: string;
  linkUrl: string;
}

/** Version 1 live (a shopper pinned to it), then version 2; a test link to version 1. */
async function oneThenTwo(server: TestServer, slug: string): Promise<Seen> {
  await install(server, slug, V1);
  await promote(server, slug, 1);
  const page = await server.edge(slug, "/", { headers: NAVIGATION });
  const pin = setCookies(page.headers).get("sy_pin")!;
  await install(server, slug, V2);
  await promote(server, slug, 2);
  const res = await server.api("POST", `/apps/${slug}/versions/1/links`, { label: "old" });
  assert.equal(res.status, 201);
  const link = await res.json() as { url: string };
  const url = new URL(link.url);
  const opened = await server.edge(slug, url.pathname + url.search);
  assert.equal(opened.status, 303);
  const preview = setCookies(opened.headers).get("sy_preview")!;
  return { pin, preview, linkUrl: link.url };
}

async function deleteVersion(server: TestServer, slug: string, version: number) {
  const res = await server.api("DELETE", `/apps/${slug}/versions/${version}`);
  assert.equal(res.status, 204, await res.clone().text());
  await res.body?.cancel();
}

interface Answer {
  status: number;
  text: string;
  setCookie: string;
}

type Get = (path: string, headers?: Record<string, string>) => Promise<Answer>;

function viaServer(server: TestServer, slug: string): Get {
  return async (path, headers = {}) => {
    const res = await server.edge(slug, path, { headers });
    return { status: res.status, text: res.text(), setCookie: res.headers.get("set-cookie") ?? "" };
  };
}

function viaEdge(edge: Edge, slug: string): Get {
  return async (path, headers = {}) => {
    const res = await edge.handle(
      new Request(`http://${slug}.localhost${path}`, { headers }),
      `${slug}.localhost`,
    );
    return {
      status: res.status,
      text: await res.text(),
      setCookie: res.headers.get("set-cookie") ?? "",
    };
  };
}

/** What each way to version 1 answers. */
async function waysToOne(get: Get, seen: Seen) {
  return {
    fallback: await get("/assets/main.1a2b3c4d.js", SUBRESOURCE),
    pinned: await get("/app.js", { ...SUBRESOURCE, cookie: seen.pin }),
    preview: await get("/", { cookie: seen.preview }),
  };
}

function assertServesOne(ways: Awaited<ReturnType<typeof waysToOne>>) {
  assert.equal(ways.fallback.text, "hashed one", "the earlier version's hashed asset");
  assert.equal(ways.pinned.text, "app one", "the pinned version's asset");
  assert.match(ways.preview.text, /page one/, "the previewed version");
}

function servesOneNoMore(ways: Awaited<ReturnType<typeof waysToOne>>): boolean {
  return ways.fallback.status === 404 && ways.pinned.text === "app two" &&
    /page two/.test(ways.preview.text) && /sy_preview=;.*Max-Age=0/.test(ways.preview.setCookie);
}

Deno.test("a version deleted in this process is never served again, at once", async () => {
  const server = await startServer({ revalidateMs: 60_000 });
  try {
    const seen = await oneThenTwo(server, "gone");
    const get = viaServer(server, "gone");
    assertServesOne(await waysToOne(get, seen));

    await deleteVersion(server, "gone", 1);
    const after = await waysToOne(get, seen);
    assert.equal(after.fallback.status, 404, "no earlier-version fallback to a deleted version");
    assert.equal(after.pinned.text, "app two", "a pin to a deleted version is void");
    assert.match(after.preview.text, /page two/, "a preview of it shows the live store");
    assert.match(after.preview.setCookie, /sy_preview=;.*Max-Age=0/, "and ends");
    assert.ok(servesOneNoMore(after));

    const url = new URL(seen.linkUrl);
    const reopened = await get(url.pathname + url.search);
    assert.equal(reopened.status, 410);
    assert.match(reopened.text, /version of this test link was deleted/);
  } finally {
    await server.close();
  }
});

Deno.test("an edge that only revalidates stops serving a deleted version within its interval", async () => {
  const server = await startServer({ revalidateMs: 60_000 });
  const revalidateMs = 250;
  const far = createEdge(server.kv, { ...server.config, revalidateMs } as Config, {
    watch: false,
  });
  try {
    const seen = await oneThenTwo(server, "far");
    const get = viaEdge(far, "far");
    assertServesOne(await waysToOne(get, seen));

    const started = performance.now();
    await deleteVersion(server, "far", 1);
    await until(async () => servesOneNoMore(await waysToOne(get, seen)), 2000);
    const elapsed = performance.now() - started;
    // One interval for the sweep, and its read; the margin absorbs a loaded CI machine.
    assert.ok(elapsed <= revalidateMs + 400, `seen after ${elapsed.toFixed(0)} ms`);
  } finally {
    await far.close();
    await server.close();
  }
});

Deno.test("an idle table of a version the live record does not hold is dropped", async () => {
  const server = await startServer({ revalidateMs: 60_000 });
  const edge = createEdge(server.kv, { ...server.config, revalidateMs: 5 } as Config, {
    watch: false,
  });
  try {
    const seen = await oneThenTwo(server, "idle");
    const get = viaEdge(edge, "idle");
    assert.equal((await get("/app.js")).text, "app two");
    assert.equal((await get("/app.js", { ...SUBRESOURCE, cookie: seen.pin })).text, "app one");
    const site = await edge.state.sites.get("idle");
    assert.deepEqual(edge.state.heldVersions(site.app!.id), [1, 2]);
    // The host stays in use (health checks select no version); nobody asks for either table.
    await until(async () => {
      assert.equal((await get("/_switchyard/health")).status, 200);
      return edge.state.heldVersions(site.app!.id).length === 1;
    }, 5000);
    assert.deepEqual(edge.state.heldVersions(site.app!.id), [2], "the live table stays");
    assert.equal((await get("/app.js", { ...SUBRESOURCE, cookie: seen.pin })).text, "app one");
  } finally {
    await edge.close();
    await server.close();
  }
});
