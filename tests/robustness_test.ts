/** Inputs that once reached a 5xx or exhausted memory: each now gets a clear 4xx. */
import assert from "node:assert/strict";
import { rawRequest } from "./helpers/http.ts";
import { startServer, TEST_TOKEN } from "./helpers/server.ts";
import { liveApp, otherAccount } from "./helpers/fixtures.ts";

Deno.test("malformed Host headers are 400, on the platform and on app hosts", async () => {
  const server = await startServer();
  try {
    await liveApp(server, "shopa", { "index.html": "x" });
    for (
      const host of [
        "127.0.0.1:abc",
        "shopa.localhost:abc",
        "shopa.localhost:99999",
        `${"a".repeat(2100)}.localhost`,
        "shopa..localhost",
        "shop a.localhost",
      ]
    ) {
      for (
        const path of ["/", "/settings/app.json", "/api/v1/apps", "/_switchyard/preview?token=x"]
      ) {
        const res = await rawRequest(server.port, { path, host });
        assert.equal(res.status, 400, `${host} ${path}`);
      }
    }
    const good = await rawRequest(server.port, {
      path: "/",
      host: `shopa.localhost:${server.port}`,
    });
    assert.equal(good.status, 200);
  } finally {
    await server.close();
  }
});

Deno.test("over-long path parameters are 4xx, never a KV key error", async () => {
  const server = await startServer();
  try {
    for (
      const [method, path] of [
        ["GET", `/apps/${"a".repeat(3000)}`],
        ["DELETE", `/tokens/${"t".repeat(3000)}`],
        ["DELETE", `/apps/x/links/${"l".repeat(3000)}`],
      ]
    ) {
      const res = await server.api(method, path);
      assert.ok(
        res.status >= 400 && res.status < 500,
        `${method} ${path.slice(0, 20)}: ${res.status}`,
      );
      await res.body?.cancel();
    }
  } finally {
    await server.close();
  }
});

Deno.test("JSON bodies past their limit are 413 while they stream in", async () => {
  const server = await startServer();
  try {
    await liveApp(server, "big", { "index.html": "x" });
    const huge = JSON.stringify({ script: "x".repeat(2 * 1024 * 1024) });
    const res = await server.api("PUT", "/apps/big/settings", huge, {
      "content-type": "application/json",
    });
    assert.equal(res.status, 413);
    assert.equal((await res.json()).error.code, "too_large");
  } finally {
    await server.close();
  }
});

Deno.test("token lists page with limit and cursor like every list", async () => {
  const server = await startServer();
  try {
    for (const name of ["a", "b", "c"]) {
      await (await server.api("POST", "/tokens", { name })).body?.cancel();
    }
    const first = await (await server.api("GET", "/tokens?limit=2")).json();
    assert.equal(first.items.length, 2);
    assert.ok(first.next_cursor);
    const second = await (await server.api("GET", `/tokens?limit=2&cursor=${first.next_cursor}`))
      .json();
    assert.ok(second.items.length >= 1);
    const bad = await server.api("GET", "/tokens?limit=abc");
    assert.equal(bad.status, 422);
    await bad.body?.cancel();
  } finally {
    await server.close();
  }
});

Deno.test("archive installs beyond two at once are asked to retry (429 Retry-After)", async () => {
  const server = await startServer();
  try {
    await liveApp(server, "busy", { "index.html": "x" });
    // Two accounts, one upload each: one account alone may hold only one of the two slots.
    const uploaders = [
      { slug: "busy", token: TEST_TOKEN },
      { slug: "busy-too", token: await otherAccount(server, "busy-too") },
    ];
    const stalled: { release(): void; done: Promise<Response> }[] = [];
    for (const { slug, token } of uploaders) {
      let release = () => {};
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new Uint8Array([0x50, 0x4b]));
          release = () => controller.close();
        },
      });
      const done = fetch(`http://127.0.0.1:${server.port}/api/v1/apps/${slug}/versions`, {
        method: "POST",
        body,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/zip" },
        duplex: "half",
      } as RequestInit);
      stalled.push({ release, done });
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    const third = await server.api("POST", "/apps/third/versions", new Uint8Array([1, 2, 3]), {
      authorization: `Bearer ${await otherAccount(server, "third")}`,
      "content-type": "application/zip",
    });
    assert.equal(third.status, 429);
    assert.equal(third.headers.get("retry-after"), "5");
    const { error } = await third.json();
    assert.equal(error.code, "too_many_uploads");
    assert.match(error.message, /^Other packages are installing/);
    const again = await server.api("POST", "/apps/busy/versions", new Uint8Array([1, 2, 3]), {
      "content-type": "application/zip",
    });
    assert.equal(again.status, 429, "an account's own second upload waits for its first");
    assert.match((await again.json()).error.message, /^Another package of this account/);
    for (const upload of stalled) {
      upload.release();
      const res = await upload.done;
      assert.equal(res.status, 400, "a truncated zip is refused");
      await res.body?.cancel();
    }
    const after = await server.api("POST", "/apps/busy/versions", new Uint8Array([1, 2, 3]), {
      "content-type": "application/zip",
    });
    assert.equal(after.status, 400, "the slots are free again");
    await after.body?.cancel();
  } finally {
    await server.close();
  }
});
