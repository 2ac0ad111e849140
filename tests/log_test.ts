/** The request log line: one JSON object with the fields operators filter on, never a query. */
import assert from "node:assert/strict";
import { annotate, createLogger, type Level, logRequest } from "../lib/log.ts";
import { Hono } from "hono";
import { errorHandler } from "../routes/errors.ts";
import { NotFoundError } from "../lib/errors.ts";
import { startServer, TEST_TOKEN } from "./helpers/server.ts";
import { testConfig } from "../config.ts";
import { bootstrap } from "../kv/bootstrap.ts";
import { createSwitchyard } from "../server.ts";
import { failingKv, liveApp } from "./helpers/fixtures.ts";

function capture(level: Level = "info") {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({ level, write: (line) => lines.push(JSON.parse(line)) });
  return { log, lines };
}

Deno.test("a request is logged with its id, status, duration and what the handler annotated", async () => {
  const { log, lines } = capture();
  const request = new Request("http://demo.localhost/_switchyard/preview?token=secret-token", {
    headers: { host: "demo.localhost" },
  });
  const response = await logRequest(log, request, () => ({ surface: "edge", app: "demo" }), () => {
    annotate(request, { version: 2, mode: "test" });
    return new Response("ok", { status: 303 });
  });
  const id = response.headers.get("x-request-id");
  assert.match(id ?? "", /^[0-9a-f-]{36}$/);
  assert.equal(lines.length, 1);
  const { time, duration_ms, ...line } = lines[0];
  assert.match(String(time), /^\d{4}-\d\d-\d\dT/);
  assert.equal(typeof duration_ms, "number");
  assert.deepEqual(line, {
    level: "info",
    msg: "request",
    request_id: id,
    method: "GET",
    host: "demo.localhost",
    path: "/_switchyard/preview",
    status: 303,
    surface: "edge",
    app: "demo",
    version: 2,
    mode: "test",
  });
  assert.ok(!JSON.stringify(lines).includes("secret-token"));
});

Deno.test("a proxy's X-Request-Id is kept when it looks like one, replaced when not", async () => {
  const { log } = capture();
  const ids = await Promise.all(["nginx-3f9a1c2b7d", "x", "bad id with spaces"].map(async (id) => {
    const request = new Request("http://a/", { headers: { "x-request-id": id } });
    const response = await logRequest(log, request, () => ({}), () => new Response(null));
    return response.headers.get("x-request-id");
  }));
  assert.equal(ids[0], "nginx-3f9a1c2b7d");
  assert.notEqual(ids[1], "x");
  assert.notEqual(ids[2], "bad id with spaces");
});

Deno.test("a handler that throws gets a JSON 500 and an error line with the stack", async () => {
  const { log, lines } = capture();
  const response = await logRequest(log, new Request("http://a/x"), () => ({}), () => {
    throw new Error("boom");
  });
  assert.equal(response.status, 500);
  assert.equal((await response.json()).error.code, "internal");
  const error = lines.find((line) => line.level === "error")!;
  assert.equal(error.error, "boom");
  assert.match(String(error.stack), /boom/);
  const request = lines.find((line) => line.msg === "request")!;
  assert.equal(request.status, 500);
  // One id ties the error to its request line and to what the client was told.
  assert.match(String(error.request_id), /^[0-9a-f-]{36}$/);
  assert.equal(request.request_id, error.request_id);
  assert.equal(response.headers.get("x-request-id"), error.request_id);
});

Deno.test("an unexpected error in a route is a 500 whose error line has the request's id", async () => {
  const { log, lines } = capture();
  const app = new Hono();
  app.get("/boom", () => {
    throw new TypeError("kaput");
  });
  app.get("/gone", () => {
    throw new NotFoundError("No such thing");
  });
  app.onError(errorHandler(log));
  const fetch = (path: string) => {
    const request = new Request(`http://a${path}`);
    return logRequest(log, request, () => ({}), () => app.fetch(request));
  };
  const response = await fetch("/boom");
  assert.equal(response.status, 500);
  assert.equal((await response.json()).error.code, "internal");
  const error = lines.find((line) => line.level === "error")!;
  assert.equal(error.error, "kaput");
  assert.equal(error.error_name, "TypeError");
  assert.equal(lines.find((line) => line.msg === "request")?.request_id, error.request_id);
  // A domain error is an answer, not a failure: no error line.
  lines.length = 0;
  assert.equal((await fetch("/gone")).status, 404);
  assert.deepEqual(lines.map((line) => line.level), ["info"]);
});

Deno.test("a failing API request has one id in its error line, request line and header, body length or not", async () => {
  using real = await Deno.openKv(":memory:");
  const config = testConfig({ platformHost: "api.test", bootstrapToken: TEST_TOKEN });
  config.secret = (await bootstrap(real, config)).secret;
  // KV going down mid-request is the unexpected error a merchant could meet.
  const { kv, outage } = failingKv(real, "atomic", () => {
    throw new Error("KV is down");
  });
  const { log, lines } = capture();
  const switchyard = createSwitchyard(kv, config, { log });
  outage.on = true;
  try {
    const json = JSON.stringify({ slug: "shop", name: "Shop" });
    // With a Content-Length, and streamed without one (Hono's body limit re-wraps that request).
    for (const body of [json, ReadableStream.from([new TextEncoder().encode(json)])]) {
      lines.length = 0;
      const headers: Record<string, string> = {
        host: "api.test",
        authorization: `Bearer ${TEST_TOKEN}`,
        "content-type": "application/json",
      };
      if (typeof body === "string") headers["content-length"] = String(json.length);
      const response = await switchyard.fetch(
        new Request("http://api.test/api/v1/apps", { method: "POST", body, headers }),
      );
      assert.equal(response.status, 500);
      assert.equal((await response.json()).error.code, "internal");
      const error = lines.find((line) => line.level === "error")!;
      assert.equal(error.error, "KV is down");
      const request = lines.find((line) => line.msg === "request")!;
      assert.equal(request.request_id, error.request_id, `body ${typeof body}`);
      assert.equal(response.headers.get("x-request-id"), error.request_id);
    }
  } finally {
    outage.on = false;
    await switchyard.close();
  }
});

Deno.test("below the logger's level nothing is written, and a redirect's immutable headers are fine", async () => {
  const { log, lines } = capture("warn");
  let asked = false;
  const response = await logRequest(log, new Request("http://a/"), () => {
    asked = true;
    return {};
  }, () => Response.redirect("http://a/b", 302));
  assert.equal(response.status, 302);
  assert.equal(lines.length, 0);
  assert.equal(asked, false);
});

Deno.test("edge requests are logged with the version served only when SWITCHYARD_EDGE_LOG=all", async () => {
  for (const all of [false, true]) {
    const { log, lines } = capture();
    const server = await startServer({ edgeRequestLog: all }, { log });
    try {
      await liveApp(server, "logged", { "index.html": "x" });
      const res = await server.edge("logged", "/");
      assert.equal(res.status, 200);
      const edgeLines = lines.filter((line) => line.surface === "edge");
      if (!all) {
        assert.deepEqual(edgeLines, []);
        assert.equal(res.headers.get("x-request-id"), null);
        assert.ok(lines.some((line) => line.surface === "platform"), "API lines stay on");
        continue;
      }
      assert.equal(edgeLines.length, 1);
      assert.equal(edgeLines[0].version, 1);
      assert.equal(edgeLines[0].mode, "live");
      assert.equal(edgeLines[0].request_id, res.headers.get("x-request-id"));
    } finally {
      await server.close();
    }
  }
});
