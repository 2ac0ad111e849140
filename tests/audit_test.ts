/**
 * The audit log as a merchant reads it from `GET /api/v1/audit`: every change, who made it (a
 * token or a signed-in member), what and from where; filters by app and by actor; paging; and
 * no entry for a change that did not happen.
 */
import assert from "node:assert/strict";
import { createToken } from "../kv/accounts.ts";
import { deleteApp } from "../kv/apps.ts";
import { sha256Hex } from "../lib/crypto.ts";
import { Hono } from "hono";
import type { SessionEnv } from "../routes/auth/cookie.ts";
import { auditSignIn, startSession } from "../routes/auth/sign_in.ts";
import { install, otherAccount } from "./helpers/fixtures.ts";
import { startServer, TEST_TOKEN, type TestServer } from "./helpers/server.ts";
import { signIn } from "./helpers/session.ts";

interface Entry {
  id: string;
  at: string;
  actor: { type: string; id: string; name: string };
  action: string;
  app: { id: string; slug: string } | null;
  target: { type: string; id: string } | null;
  summary: Record<string, unknown>;
  ip: string | null;
}

async function auditOf(
  server: TestServer,
  query = "",
  token = TEST_TOKEN,
): Promise<{ items: Entry[]; next_cursor: string | null }> {
  const res = await server.api("GET", `/audit${query}`, undefined, {
    authorization: `Bearer ${token}`,
  });
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  return body;
}

async function ok(res: Promise<Response>, status: number): Promise<unknown> {
  const answer = await res;
  const text = await answer.text();
  assert.equal(answer.status, status, text);
  return text ? JSON.parse(text) : null;
}

Deno.test("every change made with a token is in the log, newest first, with who, what and where", async () => {
  const server = await startServer();
  try {
    const api = server.api;
    await install(server, "shop", { "index.html": "one" });
    await install(server, "shop", { "index.html": "two" });
    await ok(api("PUT", "/apps/shop/live", { version: 1 }), 200);
    await ok(api("PUT", "/apps/shop/live", { version: 2, expect: 1 }), 200);
    const split = [{ version: 1, weight: 90 }, { version: 2, weight: 10 }];
    await ok(api("PUT", "/apps/shop/live", { split }), 200);
    await ok(api("POST", "/apps/shop/rollback"), 200);
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const scheduled = await ok(api("POST", "/apps/shop/schedule", { at, version: 2 }), 201) as {
      id: string;
    };
    await ok(api("DELETE", `/apps/shop/schedule/${scheduled.id}`), 204);
    const link = await ok(api("POST", "/apps/shop/versions/2/links", { label: "QA" }), 201) as {
      id: string;
    };
    await ok(api("DELETE", `/apps/shop/links/${link.id}`), 204);
    await ok(api("PUT", "/apps/shop/settings", { css: "body{}" }), 200);
    const made = await ok(api("POST", "/tokens", { name: "ci", scope: "deploy" }), 201) as {
      id: string;
    };
    await ok(api("DELETE", `/tokens/${made.id}`), 204);

    const { items } = await auditOf(server);
    assert.deepEqual(items.map((entry) => entry.action), [
      "token.revoke",
      "token.create",
      "settings.update",
      "link.revoke",
      "link.create",
      "schedule.cancel",
      "schedule.create",
      "live.rollback",
      "live.split",
      "live.promote",
      "live.promote",
      "version.create",
      "version.create",
      "app.create",
    ]);
    const bootstrap = (await (await api("GET", "/tokens")).json()).items
      .find((token: { name: string }) => token.name === "bootstrap");
    for (const entry of items) {
      assert.deepEqual(entry.actor, { type: "token", id: bootstrap.id, name: "bootstrap" });
      assert.equal(entry.ip, "127.0.0.1", "owners see the address");
    }
    const byAction = (action: string) => items.filter((entry) => entry.action === action);
    assert.deepEqual(byAction("live.promote")[0].summary, { version: 2, previous: 1 });
    assert.deepEqual(byAction("live.promote")[1].summary, { version: 1, previous: null });
    assert.equal(byAction("live.split")[0].summary.split, "1:90,2:10");
    assert.deepEqual(byAction("live.rollback")[0].summary, { version: 2, previous: 1 });
    assert.deepEqual(byAction("schedule.create")[0].target, {
      type: "schedule",
      id: scheduled.id,
    });
    assert.deepEqual(byAction("link.create")[0].target, { type: "link", id: link.id });
    assert.equal(byAction("settings.update")[0].summary.parts, "css");
    assert.deepEqual(byAction("token.create")[0].summary, {
      name: "ci",
      scope: "deploy",
      expires_at: null,
    });
    assert.equal(byAction("app.create")[0].app?.slug, "shop");
    assert.deepEqual(byAction("version.create").map((e) => e.summary.version), [2, 1]);
    const times = items.map((entry) => entry.at);
    assert.deepEqual(times, [...times].sort().reverse(), "newest first");
  } finally {
    await server.close();
  }
});

Deno.test("the manifest flow logs the version's creation and its finalize; a delete is logged", async () => {
  const server = await startServer();
  try {
    await ok(server.api("POST", "/apps", { slug: "flow", name: "Flow" }), 201);
    const text = "<h1>manifest</h1>";
    const file = {
      path: "index.html",
      sha256: await sha256Hex(text),
      size: new TextEncoder().encode(text).byteLength,
    };
    await ok(server.api("POST", "/apps/flow/versions", { files: [file], label: "v1" }), 201);
    await ok(
      server.api("PUT", `/apps/flow/blobs/${file.sha256}`, text, {
        "content-type": "application/octet-stream",
      }),
      204,
    );
    await ok(server.api("POST", "/apps/flow/versions/1/finalize"), 200);
    await ok(server.api("POST", "/apps/flow/versions/1/finalize"), 200);
    await ok(server.api("DELETE", "/apps/flow/versions/1"), 204);
    const { items } = await auditOf(server, "?app=flow");
    assert.deepEqual(
      items.map((e) => [e.action, e.target?.id ?? null, e.summary.status ?? null]),
      [
        ["version.delete", "1", null],
        ["version.ready", "1", null],
        ["version.create", "1", "uploading"],
        ["app.create", null, null],
      ],
      "a second finalize of a ready version changes nothing and logs nothing",
    );
    assert.equal(items[2].summary.label, "v1");
  } finally {
    await server.close();
  }
});

Deno.test("a refused change leaves no entry; of racing promotes, only the one that won is logged", async () => {
  const server = await startServer();
  try {
    await install(server, "shop", { "index.html": "one" });
    await install(server, "shop", { "index.html": "two" });
    const before = (await auditOf(server)).items.length;
    await ok(server.api("PUT", "/apps/shop/live", { version: 9 }), 404);
    await ok(server.api("POST", "/apps/shop/rollback"), 409);
    await ok(server.api("POST", "/apps", { slug: "shop", name: "again" }), 409);
    assert.equal((await auditOf(server)).items.length, before, "nothing happened, nothing logged");

    // Ten promotes that all expect nothing live: one commits, nine are told 409.
    const answers = await Promise.all(
      Array.from(
        { length: 10 },
        (_, i) => server.api("PUT", "/apps/shop/live", { version: 1 + (i % 2), expect: null }),
      ),
    );
    const statuses = await Promise.all(answers.map(async (res) => {
      await res.body?.cancel();
      return res.status;
    }));
    assert.equal(statuses.filter((status) => status === 200).length, 1);
    const promotes = (await auditOf(server)).items.filter((e) => e.action === "live.promote");
    assert.equal(promotes.length, 1, "one promote happened, one is logged");
    const live = await (await server.api("GET", "/apps/shop/live")).json();
    assert.equal(promotes[0].summary.version, live.version, "the entry names what went live");
  } finally {
    await server.close();
  }
});

Deno.test("sign-ins and a member's changes name the person; filters by actor and by app", async () => {
  const server = await startServer();
  try {
    await install(server, "shop", { "index.html": "one" });
    const browser = await signIn(server);
    await ok(browser.api("POST", "/apps", { slug: "blog", name: "Blog" }), 201);
    await ok(browser.api("PUT", "/apps/shop/live", { version: 1 }), 200);

    const { items } = await auditOf(server);
    const signInEntry = items.find((entry) => entry.action === "session.sign_in")!;
    assert.deepEqual(signInEntry.actor, { type: "person", id: server.ownerId, name: "Owner" });
    assert.equal(signInEntry.summary.method, "link");
    assert.equal(signInEntry.ip, "127.0.0.1");

    const mine = await auditOf(server, `?actor=${server.ownerId}`);
    assert.deepEqual(mine.items.map((e) => e.action), [
      "live.promote",
      "app.create",
      "session.sign_in",
    ]);
    const shop = await auditOf(server, "?app=shop");
    assert.deepEqual(shop.items.map((e) => e.action), [
      "live.promote",
      "version.create",
      "app.create",
    ]);
    const both = await auditOf(server, `?app=shop&actor=${server.ownerId}`);
    assert.deepEqual(both.items.map((e) => e.action), ["live.promote"]);

    // A deleted app's history stays, found by the app's id. Of two deletes racing, one is.
    const shopId = shop.items[0].app!.id;
    const actor = { type: "person" as const, id: server.ownerId, name: "Owner" };
    const by = { accountId: server.accountId, actor, ip: null };
    const deletes = await Promise.allSettled(
      [1, 2].map(() => deleteApp(server.kv, server.accountId, "shop", by)),
    );
    assert.deepEqual(deletes.map((outcome) => outcome.status).sort(), ["fulfilled", "rejected"]);
    const gone = await auditOf(server, `?app=${shopId}`);
    assert.deepEqual(gone.items.map((e) => e.action).slice(0, 2), ["app.delete", "live.promote"]);
    assert.equal(gone.items.filter((e) => e.action === "app.delete").length, 1);
    await ok(server.api("GET", "/audit?app=shop"), 404);
  } finally {
    await server.close();
  }
});

Deno.test("the log pages with a cursor; a read-only token sees who but not from where", async () => {
  const server = await startServer();
  try {
    for (let i = 0; i < 5; i++) {
      await ok(server.api("POST", "/apps", { slug: `app-${i}`, name: `App ${i}` }), 201);
    }
    const first = await auditOf(server, "?limit=2");
    assert.equal(first.items.length, 2);
    assert.ok(first.next_cursor);
    const second = await auditOf(
      server,
      `?limit=2&cursor=${encodeURIComponent(first.next_cursor)}`,
    );
    const third = await auditOf(
      server,
      `?limit=2&cursor=${encodeURIComponent(second.next_cursor!)}`,
    );
    const slugs = [...first.items, ...second.items, ...third.items].map((e) => e.app?.slug);
    assert.deepEqual(slugs, ["app-4", "app-3", "app-2", "app-1", "app-0"]);
    await ok(server.api("GET", "/audit?cursor=garbage"), 422);

    const { token } = await createToken(server.kv, server.accountId, "reader", { scope: "read" });
    const read = await auditOf(server, "", token);
    assert.equal(read.items.length, 5);
    assert.ok(read.items.every((entry) => entry.ip === null && entry.actor.name === "bootstrap"));
  } finally {
    await server.close();
  }
});

Deno.test("another account's log holds none of this account's changes", async () => {
  const server = await startServer();
  try {
    await install(server, "shop", { "index.html": "one" });
    const other = await otherAccount(server, "theirs");
    const theirs = await auditOf(server, "", other);
    assert.deepEqual(theirs.items.map((e) => e.app?.slug), ["theirs"]);
    const shopId = (await auditOf(server, "?app=shop")).items[0].app!.id;
    assert.deepEqual((await auditOf(server, `?app=${shopId}`, other)).items, []);
    const res = await server.api("GET", "/audit?app=shop", undefined, {
      authorization: `Bearer ${other}`,
    });
    assert.equal(res.status, 404, "another account's app is not found");
    await res.body?.cancel();
  } finally {
    await server.close();
  }
});

Deno.test("auditSignIn records a way in that starts no session, and never repeats startSession's", async () => {
  const server = await startServer();
  // The smallest routes that end a sign-in the two ways another way in (OAuth, passkeys) may.
  const app = new Hono<SessionEnv>();
  app.use("*", async (c, next) => {
    c.set("kv", server.kv);
    c.set("config", server.config);
    await next();
  });
  const signIn = {
    personId: server.ownerId,
    accountId: server.accountId,
    name: "Owner",
    method: "passkey",
  };
  app.post("/both", async (c) => {
    await startSession(c, signIn);
    await auditSignIn(c, signIn);
    return c.body(null, 204);
  });
  app.post("/record-only", async (c) => {
    await auditSignIn(c, { ...signIn, method: "oidc" });
    return c.body(null, 204);
  });
  const listener = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    (request, info) => app.fetch(request, { info }),
  );
  try {
    for (const path of ["/both", "/record-only"]) {
      const res = await fetch(`http://127.0.0.1:${listener.addr.port}${path}`, { method: "POST" });
      assert.equal(res.status, 204);
    }
    const signIns = (await auditOf(server, `?actor=${server.ownerId}`)).items;
    assert.deepEqual(signIns.map((e) => [e.action, e.summary.method, e.ip]), [
      ["session.sign_in", "oidc", "127.0.0.1"],
      ["session.sign_in", "passkey", "127.0.0.1"],
    ]);
  } finally {
    await listener.shutdown();
    await server.close();
  }
});
