import assert from "node:assert/strict";
import { apiBase, SwitchyardClient } from "./client.ts";
import { ApiError } from "./errors.ts";

/** A stand-in API that answers each request with the next of `statuses` (then 200). */
function flakyServer(statuses: number[]) {
  const seen: string[] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, (request) => {
    seen.push(`${request.method} ${new URL(request.url).pathname}`);
    const status = statuses.shift() ?? 200;
    if (status === 200) return Response.json({ version: 2, previous: 1 });
    const error = { code: status === 401 ? "unauthorized" : "internal", message: "No" };
    return Response.json({ error }, { status });
  });
  const client = new SwitchyardClient({
    url: `http://127.0.0.1:${server.addr.port}`,
    token: "t",
    backoffMs: 1,
  });
  return { client, seen, close: () => server.shutdown() };
}

Deno.test("the client retries 5xx answers of idempotent calls with backoff", async () => {
  const flaky = flakyServer([500, 502, 503]);
  try {
    const change = await flaky.client.promote("shop", 2);
    assert.deepEqual(change, { version: 2, previous: 1 });
    assert.equal(flaky.seen.length, 4);
  } finally {
    await flaky.close();
  }
});

Deno.test("the client gives up after its retries and reports the last answer", async () => {
  const flaky = flakyServer([500, 500, 500, 500, 500]);
  try {
    const error = await flaky.client.getApp("shop").then(() => null, (error) => error);
    assert.ok(error instanceof ApiError);
    assert.equal(error.status, 500);
    assert.equal(error.attempts, 5);
  } finally {
    await flaky.close();
  }
});

Deno.test("a rollback is not resent after a 500: it might have gone through", async () => {
  const flaky = flakyServer([500]);
  try {
    await assert.rejects(() => flaky.client.rollback("shop"), ApiError);
    assert.deepEqual(flaky.seen, ["POST /api/v1/apps/shop/rollback"]);
  } finally {
    await flaky.close();
  }
});

Deno.test("a 401 is reported at once, without retries", async () => {
  const flaky = flakyServer([401]);
  try {
    const error = await flaky.client.getApp("shop").then(() => null, (error) => error);
    assert.equal((error as ApiError).code, "unauthorized");
    assert.equal(flaky.seen.length, 1);
  } finally {
    await flaky.close();
  }
});

Deno.test("network errors are retried, then reported as status 0", async () => {
  // Port 9 (discard) on loopback: nothing listens, so every connection is refused.
  const client = new SwitchyardClient({ url: "http://127.0.0.1:9", token: "t", backoffMs: 1 });
  const error = await client.getApp("shop").then(() => null, (error) => error);
  assert.ok(error instanceof ApiError);
  assert.equal([error.status, error.code, error.attempts].join(), "0,network_error,5");
});

Deno.test("apiBase accepts the platform origin with or without /api/v1", () => {
  assert.equal(apiBase("https://s.example/"), "https://s.example/api/v1");
  assert.equal(apiBase("https://s.example/api/v1/"), "https://s.example/api/v1");
});
