/**
 * Archive install slots under abuse, over real connections: an account that holds uploads open
 * without sending cannot lock other accounts out, a stalled body is cut off with a 408 and its
 * slot freed, and a client that goes away is logged at info, not as our failure.
 */
import assert from "node:assert/strict";
import { createLogger } from "../lib/log.ts";
import { ARCHIVE_UPLOAD_PACE } from "../routes/api/versions.ts";
import { zipOf } from "./fixtures/zip_builder.ts";
import { otherAccount, until } from "./helpers/fixtures.ts";
import { startServer, TEST_TOKEN, type TestServer } from "./helpers/server.ts";

const ZIP_MAGIC = new Uint8Array([0x50, 0x4b, 0x03, 0x04]);
const GZIP_MAGIC = new Uint8Array([0x1f, 0x8b, 0x08, 0x00]);
const encoder = new TextEncoder();

interface OpenUpload {
  /** The answer, once the server gives one (status 0: the connection closed without one). */
  response: Promise<{ status: number; body: string }>;
  /** Writes 10 bytes a second until `close()`, as the attacker's probe did. */
  trickle(): void;
  close(): void;
}

/**
 * An archive upload over its own connection that claims `length` bytes and sends `first`; the
 * rest is up to the test. Raw TCP, so nothing in between buffers or times it out.
 */
async function openUpload(
  port: number,
  slug: string,
  token: string,
  length: number,
  first: Uint8Array,
  type = "application/zip",
): Promise<OpenUpload> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const head = `POST /api/v1/apps/${slug}/versions HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
    `Authorization: Bearer ${token}\r\nContent-Type: ${type}\r\n` +
    `Content-Length: ${length}\r\n\r\n`;
  await conn.write(encoder.encode(head));
  await conn.write(first);
  let timer: ReturnType<typeof setInterval> | undefined;
  let closed = false;
  const close = () => {
    clearInterval(timer);
    if (closed) return;
    closed = true;
    conn.close();
  };
  const response = readResponse(conn).finally(close);
  return {
    response,
    trickle() {
      timer = setInterval(() => {
        conn.write(new Uint8Array(10)).catch(() => clearInterval(timer));
      }, 1000);
    },
    close,
  };
}

/** Reads one HTTP/1.1 answer with a Content-Length body. */
async function readResponse(conn: Deno.Conn): Promise<{ status: number; body: string }> {
  const decoder = new TextDecoder();
  const buffer = new Uint8Array(16 * 1024);
  let text = "";
  for (;;) {
    let n: number | null;
    try {
      n = await conn.read(buffer);
    } catch {
      n = null;
    }
    if (n === null) break;
    text += decoder.decode(buffer.subarray(0, n), { stream: true });
    const end = text.indexOf("\r\n\r\n");
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(text.slice(0, end));
    if (end >= 0 && length && text.length - end - 4 >= Number(length[1])) break;
  }
  const status = /^HTTP\/1\.1 (\d{3})/.exec(text);
  return { status: status ? Number(status[1]) : 0, body: text.slice(text.indexOf("\r\n\r\n") + 4) };
}

async function createApp(server: TestServer, slug: string): Promise<void> {
  const res = await server.api("POST", "/apps", { slug, name: slug });
  assert.equal(res.status, 201);
  await res.body?.cancel();
}

const archive = () => zipOf({ "index.html": "<p>hello</p>" });

Deno.test("an account holding uploads open cannot keep another account's upload out", async () => {
  const server = await startServer();
  const attacks: OpenUpload[] = [];
  try {
    await createApp(server, "attacker");
    const token = await otherAccount(server, "shop");
    for (let i = 0; i < 2; i++) {
      const attack = await openUpload(server.port, "attacker", TEST_TOKEN, 100_000_000, ZIP_MAGIC);
      attack.trickle();
      attacks.push(attack);
    }
    // The account's second upload is past its share: refused at once, the first keeps its slot.
    const refused = await Promise.race(attacks.map((attack) => attack.response));
    assert.equal(refused.status, 429);
    assert.equal(JSON.parse(refused.body).error.code, "too_many_uploads");

    const started = performance.now();
    const res = await server.api("POST", "/apps/shop/versions", archive(), {
      authorization: `Bearer ${token}`,
      "content-type": "application/zip",
    });
    const elapsed = performance.now() - started;
    assert.equal(res.status, 201, await res.clone().text());
    await res.body?.cancel();
    assert.ok(elapsed < 15_000, `the other account waited ${elapsed} ms`);
  } finally {
    for (const attack of attacks) attack.close();
    await server.close();
  }
});

Deno.test("a body that stalls past the idle limit is a 408 upload_stalled, and frees its slot", async () => {
  const idleMs = ARCHIVE_UPLOAD_PACE.idleMs;
  ARCHIVE_UPLOAD_PACE.idleMs = 300;
  const server = await startServer();
  try {
    await createApp(server, "slow");
    // A tar.gz reader calls a body that fails a corrupt archive; the answer is still a stall.
    const starts = { "application/zip": ZIP_MAGIC, "application/gzip": GZIP_MAGIC };
    for (const [type, magic] of Object.entries(starts)) {
      const stalled = await openUpload(server.port, "slow", TEST_TOKEN, 100_000, magic, type);
      const started = performance.now();
      const { status, body } = await stalled.response;
      assert.equal(status, 408, `${type}: ${body}`);
      const { error } = JSON.parse(body);
      assert.equal(error.code, "upload_stalled");
      assert.match(error.message, /^Upload sent no bytes for 300 ms .*: "\d+ bytes received"$/);
      assert.ok(performance.now() - started < 5_000);
    }
    const res = await server.api("POST", "/apps/slow/versions", archive(), {
      "content-type": "application/zip",
    });
    assert.equal(res.status, 201, "the account's slot is free again");
    await res.body?.cancel();
  } finally {
    ARCHIVE_UPLOAD_PACE.idleMs = idleMs;
    await server.close();
  }
});

Deno.test("a client that goes away mid-upload is logged at info with what was lost", async () => {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({ write: (line) => lines.push(JSON.parse(line)) });
  const server = await startServer({}, { log });
  try {
    await createApp(server, "gone");
    const sent = new Uint8Array(1000);
    sent.set(ZIP_MAGIC);
    const upload = await openUpload(server.port, "gone", TEST_TOKEN, 100_000, sent);
    await new Promise((resolve) => setTimeout(resolve, 200));
    upload.close();
    await until(
      () => Promise.resolve(lines.some((line) => line.msg === "Upload abandoned")),
      5_000,
    );
    const line = lines.find((line) => line.msg === "Upload abandoned")!;
    assert.equal(line.level, "info");
    assert.equal(line.app, "gone");
    assert.equal(line.bytes_received, 1000);
    assert.ok(typeof line.request_id === "string");
    const isUpload = (line: Record<string, unknown>) =>
      line.msg === "request" && line.path === "/api/v1/apps/gone/versions";
    await until(() => Promise.resolve(lines.some(isUpload)), 5_000);
    assert.equal(lines.find(isUpload)!.status, 400);
    assert.deepEqual(lines.filter((line) => line.level === "error"), []);

    const res = await server.api("POST", "/apps/gone/versions", archive(), {
      "content-type": "application/zip",
    });
    assert.equal(res.status, 201, "the account's slot is free again");
    await res.body?.cancel();
  } finally {
    await server.close();
  }
});
