/** API tokens over HTTP: scope, expiry and last use, as `POST /tokens` and `GET /tokens` say. */
import assert from "node:assert/strict";
import { startServer } from "./helpers/server.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

Deno.test("a token is made with a scope (full by default) and an optional expiry", async () => {
  const server = await startServer();
  try {
    const res = await server.api("POST", "/tokens", {
      name: "CI",
      scope: "deploy",
      expires_in_days: 30,
    });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get("cache-control"), "no-store");
    const ci = await res.json();
    assert.equal(ci.scope, "deploy");
    const expiresIn = Date.parse(ci.expires_at) - Date.now();
    assert.ok(Math.abs(expiresIn - 30 * DAY_MS) < 60_000, ci.expires_at);
    assert.equal(ci.last_used_at, null);
    const plain = await (await server.api("POST", "/tokens", { name: "script" })).json();
    assert.deepEqual([plain.scope, plain.expires_at], ["full", null]);
    const list = await (await server.api("GET", "/tokens")).json();
    const listed = list.items.find((t: { id: string }) => t.id === ci.id);
    assert.deepEqual(
      [listed.scope, listed.expires_at, listed.last_used_at],
      ["deploy", ci.expires_at, null],
    );
    // The bootstrap token predates none of this and stays a full owner token.
    const bootstrap = list.items.find((t: { name: string }) => t.name === "bootstrap");
    assert.deepEqual([bootstrap.scope, bootstrap.expires_at], ["full", null]);
  } finally {
    await server.close();
  }
});

Deno.test("a token's scope and lifetime are checked: unknown scope, 0 or 366 days are 422", async () => {
  const server = await startServer();
  try {
    for (
      const body of [
        { name: "x", scope: "admin" },
        { name: "x", expires_in_days: 0 },
        { name: "x", expires_in_days: 366 },
        { name: "x", expires_in_days: 1.5 },
      ]
    ) {
      const res = await server.api("POST", "/tokens", body);
      assert.equal(res.status, 422, JSON.stringify(body));
      await res.body?.cancel();
    }
  } finally {
    await server.close();
  }
});

Deno.test("an expired token is refused with 401 like an unknown one", async () => {
  let clock = Date.parse("2026-11-28T10:00:00.000Z");
  const server = await startServer({ now: () => clock });
  try {
    const { token } = await (await server.api("POST", "/tokens", {
      name: "short",
      expires_in_days: 1,
    })).json();
    const auth = { authorization: `Bearer ${token}` };
    clock += DAY_MS - 1;
    const before = await server.api("GET", "/apps", undefined, auth);
    assert.equal(before.status, 200);
    await before.body?.cancel();
    clock += 1;
    const after = await server.api("GET", "/apps", undefined, auth);
    assert.equal(after.status, 401);
    const unknown = await server.api("GET", "/apps", undefined, {
      authorization: `Bearer ${token.slice(0, 10)}${"x".repeat(token.length - 10)}`,
    });
    assert.deepEqual(await after.json(), await unknown.json());
  } finally {
    await server.close();
  }
});

Deno.test("last_used_at shows a token's use, written at most once a minute", async () => {
  let clock = Date.parse("2026-11-28T10:00:00.000Z");
  const server = await startServer({ now: () => clock });
  try {
    const created = await (await server.api("POST", "/tokens", { name: "busy CI" })).json();
    const auth = { authorization: `Bearer ${created.token}` };
    const lastUsed = async () => {
      const list = await (await server.api("GET", "/tokens")).json();
      return list.items.find((t: { id: string }) => t.id === created.id).last_used_at;
    };
    const use = async () =>
      await (await server.api("GET", "/apps", undefined, auth)).body?.cancel();
    const first = new Date(clock).toISOString();
    await use();
    assert.equal(await lastUsed(), first);
    for (let i = 0; i < 10; i++) {
      clock += 5_000;
      await use();
    }
    assert.equal(await lastUsed(), first, "a call within the minute writes nothing");
    clock += 10_000;
    await use();
    assert.equal(await lastUsed(), new Date(clock).toISOString());
  } finally {
    await server.close();
  }
});

Deno.test("expires_at, as the API contract names it, sets the expiry; a past or double one is 422", async () => {
  const server = await startServer();
  try {
    const at = new Date(Date.now() + 7 * DAY_MS).toISOString();
    const res = await server.api("POST", "/tokens", { name: "week", expires_at: at });
    assert.equal(res.status, 201);
    assert.equal((await res.json()).expires_at, at);
    for (
      const body of [
        { name: "past", expires_at: new Date(Date.now() - 1000).toISOString() },
        { name: "far", expires_at: new Date(Date.now() + 400 * DAY_MS).toISOString() },
        { name: "both", expires_at: at, expires_in_days: 7 },
        { name: "not a time", expires_at: "next week" },
      ]
    ) {
      const refused = await server.api("POST", "/tokens", body);
      const error = (await refused.json()).error;
      assert.equal(refused.status, 422, `${body.name}: ${JSON.stringify(error)}`);
    }
  } finally {
    await server.close();
  }
});
