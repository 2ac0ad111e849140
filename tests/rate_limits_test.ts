/**
 * Rate limits as a client meets them: bad API tokens, failed sign-ins, test-link openings and
 * sign-in link requests trip their limit with 429, `Retry-After` and the usual error JSON, and
 * recover when the window ends (the clock is the server's injected `config.now`). The counts are
 * in KV, so two server instances on one KV share one budget.
 */
import assert from "node:assert/strict";
import { Hono } from "hono";
import { testConfig } from "../config.ts";
import { bootstrap } from "../kv/bootstrap.ts";
import { LIMITS } from "../kv/rate_limits.ts";
import { createSwitchyard } from "../server.ts";
import { type SessionEnv } from "../routes/auth/cookie.ts";
import { limitSignInLinkRequest } from "../routes/auth/limits.ts";
import { errorHandler } from "../routes/errors.ts";
import { createLogger } from "../lib/log.ts";
import { liveApp } from "./helpers/fixtures.ts";
import { rawRequest } from "./helpers/http.ts";
import { startServer, TEST_TOKEN } from "./helpers/server.ts";
import { ownerLink } from "./helpers/session.ts";

/** A clock the test moves; the server reads it through `config.now`. */
function clock() {
  let now = Date.parse("2026-11-28T09:00:00Z");
  return { now: () => now, advance: (ms: number) => now += ms };
}

async function apiCall(port: number, token: string): Promise<Response> {
  return await fetch(`http://127.0.0.1:${port}/api/v1/apps`, {
    headers: { authorization: `Bearer ${token}` },
  });
}

/** Asserts a 429 with the limit's code and a `Retry-After` of `seconds`; answers the body. */
async function assertLimited(res: Response, code: string, seconds: number) {
  const body = await res.json();
  assert.equal(res.status, 429, JSON.stringify(body));
  assert.equal(res.headers.get("retry-after"), String(seconds));
  assert.equal(body.error.code, code);
  assert.match(body.error.message, new RegExp(`try again in ${seconds} s`));
}

const BAD = "sy_" + "x".repeat(38);

Deno.test("bad API tokens trip the address's limit, which holds a good token out until it ends", async () => {
  const time = clock();
  const server = await startServer({ now: time.now });
  try {
    const { max, windowMs, code } = LIMITS.badTokens;
    for (let i = 0; i < max; i++) {
      const res = await apiCall(server.port, i % 2 ? BAD : "not-even-a-token");
      assert.equal(res.status, 401);
      await res.body?.cancel();
    }
    await assertLimited(await apiCall(server.port, TEST_TOKEN), code, windowMs / 1000);
    time.advance(windowMs - 1_500);
    await assertLimited(await apiCall(server.port, TEST_TOKEN), code, 2);
    time.advance(1_500);
    const again = await apiCall(server.port, TEST_TOKEN);
    assert.equal(again.status, 200, "the window ended");
    await again.body?.cancel();
  } finally {
    await server.close();
  }
});

async function openLink(port: number, secret: string): Promise<Response> {
  const res = await fetch(`http://127.0.0.1:${port}/auth/link/${secret}`, { redirect: "manual" });
  return res;
}

Deno.test("failed sign-ins trip the address's limit; good sign-ins never count", async () => {
  const time = clock();
  const server = await startServer({ now: time.now });
  const link = () => ownerLink(server, "start", time.now());
  try {
    const { max, windowMs, code } = LIMITS.signInFailures;
    for (let i = 0; i < max + 5; i++) {
      const res = await openLink(server.port, await link());
      assert.equal(res.status, 303, "a working link is no failure");
      await res.body?.cancel();
    }
    for (let i = 0; i < max; i++) {
      const res = await openLink(server.port, "y".repeat(43));
      assert.equal(res.status, 401);
      await res.body?.cancel();
    }
    await assertLimited(await openLink(server.port, await link()), code, windowMs / 1000);
    time.advance(windowMs);
    const res = await openLink(server.port, await link());
    assert.equal(res.status, 303, "the window ended");
    await res.body?.cancel();
  } finally {
    await server.close();
  }
});

Deno.test("test-link openings are limited per address; shoppers' pages are not", async () => {
  const time = clock();
  const server = await startServer({ now: time.now });
  try {
    await liveApp(server, "shop", { "index.html": "<p>home</p>" });
    const made = await (await server.api("POST", "/apps/shop/versions/1/links", {
      label: "QA",
    })).json();
    const path = `/_switchyard/preview?token=${made.url.split("token=")[1]}`;
    const { max, windowMs, code } = LIMITS.testLinkOpens;
    for (let i = 0; i < max; i++) {
      const res = await server.edge("shop", i % 3 ? path : "/_switchyard/preview?token=made-up");
      assert.ok(res.status === 303 || res.status === 404, String(res.status));
    }
    const refused = await server.edge("shop", path);
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get("retry-after"), String(windowMs / 1000));
    assert.equal(JSON.parse(refused.text()).error.code, code);
    assert.equal((await server.edge("shop", "/")).status, 200, "the storefront still answers");
    time.advance(windowMs);
    assert.equal((await server.edge("shop", path)).status, 303, "the window ended");
  } finally {
    await server.close();
  }
});

Deno.test("sign-in link requests are limited per email (any case) and per address", async () => {
  using kv = await Deno.openKv(":memory:");
  const time = clock();
  const config = testConfig({ now: time.now });
  // The smallest app that calls the function the "email me a link" endpoint calls.
  const app = new Hono<SessionEnv>();
  app.use("*", async (c, next) => {
    c.set("kv", kv);
    c.set("config", config);
    await next();
  });
  app.post("/ask/:email", async (c) => {
    await limitSignInLinkRequest(c, c.req.param("email"));
    return c.body(null, 204);
  });
  app.onError(errorHandler(createLogger({ level: "error" })));
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    (request, info) => app.fetch(request, { info }),
  );
  const ask = (email: string) =>
    fetch(`http://127.0.0.1:${server.addr.port}/ask/${email}`, { method: "POST" });
  try {
    const perEmail = LIMITS.signInLinkPerEmail;
    for (let i = 0; i < perEmail.max; i++) {
      assert.equal((await ask(i % 2 ? "Ana@Shop.example" : "ana@shop.example")).status, 204);
    }
    await assertLimited(await ask("ANA@shop.example"), perEmail.code, perEmail.windowMs / 1000);
    const perAddress = LIMITS.signInLinkPerAddress;
    // The refused request counted against the address too: it was asked for.
    for (let i = perEmail.max + 1; i < perAddress.max; i++) {
      assert.equal((await ask(`person${i}@shop.example`)).status, 204);
    }
    await assertLimited(await ask("new@shop.example"), perAddress.code, perAddress.windowMs / 1000);
  } finally {
    await server.shutdown();
  }
});

/**
 * Another view of the same store: a distinct object, so whatever an instance keeps per KV handle
 * (change notices, token last-use memos, caches) is its own, as in a second process; only the
 * data is shared. (Two handles on one SQLite file lock each other: STACK-NOTES.)
 */
function viewOf(kv: Deno.Kv): Deno.Kv {
  return new Proxy(kv, {
    get(target, name) {
      const value = Reflect.get(target, name, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

Deno.test("a limit holds across two server instances on one KV", async () => {
  using kv = await Deno.openKv(":memory:");
  const time = clock();
  const config = testConfig({
    platformHost: "127.0.0.1",
    bootstrapToken: TEST_TOKEN,
    now: time.now,
  });
  config.secret = (await bootstrap(kv, config)).secret;
  // Two instances as two Deploy isolates would be: their own handler and state, one store.
  const instances = [createSwitchyard(viewOf(kv), config), createSwitchyard(viewOf(kv), config)];
  const servers = instances.map((instance) =>
    Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, instance.fetch)
  );
  const ports = servers.map((server) => server.addr.port);
  try {
    const { max, code, windowMs } = LIMITS.badTokens;
    for (let i = 0; i < max; i++) {
      const res = await apiCall(ports[i % 2], BAD);
      assert.equal(res.status, 401, `request ${i + 1}`);
      await res.body?.cancel();
    }
    // Each instance saw only half the failures; together they used up the budget.
    await assertLimited(await apiCall(ports[0], TEST_TOKEN), code, windowMs / 1000);
    await assertLimited(await apiCall(ports[1], TEST_TOKEN), code, windowMs / 1000);
  } finally {
    for (const server of servers) await server.shutdown();
    for (const instance of instances) await instance.close();
  }
});

Deno.test("a shopper's request counts against no limit", async () => {
  const server = await startServer();
  try {
    await liveApp(server, "shop", { "index.html": "<p>home</p>" });
    await rawRequest(server.port, { path: "/", host: "shop.localhost" });
    const counters = [];
    for await (const entry of server.kv.list({ prefix: ["rate_limit"] })) counters.push(entry);
    assert.deepEqual(counters, [], "nothing counted for a shopper");
  } finally {
    await server.close();
  }
});

Deno.test("docs/OPERATING.md lists every limit with the values the code enforces", async () => {
  const doc = await Deno.readTextFile(new URL("../docs/OPERATING.md", import.meta.url));
  for (const limit of Object.values(LIMITS)) {
    const row = doc.split("\n").find((line) => line.startsWith(`| \`${limit.name}\``));
    assert.ok(row, `no row for ${limit.name}`);
    const cells = row.split("|").map((cell) => cell.trim());
    assert.equal(cells[4], String(limit.max), `${limit.name}: max`);
    assert.equal(cells[5], `${limit.windowMs / 60_000} min`, `${limit.name}: window`);
    assert.equal(cells[6], `\`${limit.code}\``, `${limit.name}: code`);
  }
});

Deno.test("sign-ins begun (passkey challenges) are limited per address, as each writes KV", async () => {
  const time = clock();
  const server = await startServer({ now: time.now });
  const begin = () =>
    fetch(`http://127.0.0.1:${server.port}/auth/passkey/options`, {
      method: "POST",
      headers: { "sec-fetch-site": "same-origin", "content-type": "application/json" },
      body: "{}",
    });
  try {
    const { max, windowMs, code } = LIMITS.signInStarts;
    for (let i = 0; i < max; i++) {
      const res = await begin();
      assert.equal(res.status, 200, `challenge ${i + 1}`);
      await res.body?.cancel();
    }
    await assertLimited(await begin(), code, windowMs / 1000);
    time.advance(windowMs);
    const res = await begin();
    assert.equal(res.status, 200, "the window ended");
    await res.body?.cancel();
  } finally {
    await server.close();
  }
});
