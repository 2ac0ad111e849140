/** The pace guard of upload bodies: fast bodies pass untouched, stalled and crawling ones stop. */
import assert from "node:assert/strict";
import { type Pace, PacedBody } from "./paced_body.ts";
import { TimedOutError } from "./errors.ts";

const FAST: Pace = { idleMs: 1000, floorBytesPerSecond: 1024, graceBytes: 1024 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A body that sends `parts` (each after `gapMs`), then ends, or hangs when `hang`. */
function bodyOf(parts: Uint8Array[], gapMs = 0, hang = false) {
  let cancelled: unknown = undefined;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const part = parts.shift();
      if (part === undefined) {
        if (hang) return new Promise<void>(() => {});
        return controller.close();
      }
      if (gapMs) await sleep(gapMs);
      controller.enqueue(part);
    },
    cancel(reason) {
      cancelled = reason;
    },
  }, { highWaterMark: 0 });
  return { stream, cancelled: () => cancelled };
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<number> {
  let total = 0;
  for await (const part of stream) total += part.byteLength;
  return total;
}

Deno.test("a body that keeps pace passes whole and counts its bytes", async () => {
  const parts = Array.from({ length: 50 }, () => new Uint8Array(4096));
  const paced = new PacedBody(bodyOf(parts).stream, FAST);
  assert.equal(await readAll(paced.stream), 50 * 4096);
  assert.equal(paced.received, 50 * 4096);
  assert.equal(paced.interrupted, null);
});

Deno.test("a body that sends nothing for the idle limit is cut off as stalled", async () => {
  const source = bodyOf([new Uint8Array(4)], 0, true);
  const paced = new PacedBody(source.stream, { ...FAST, idleMs: 50 });
  const started = performance.now();
  await assert.rejects(readAll(paced.stream), (error) => {
    assert.ok(error instanceof TimedOutError);
    assert.equal(error.code, "upload_stalled");
    assert.match(error.message, /^Upload sent no bytes for 50 ms .*: "4 bytes received"$/);
    return true;
  });
  assert.ok(performance.now() - started < 500, "cut off near the idle limit");
  assert.equal(paced.interrupted, "stalled");
  assert.equal(paced.received, 4);
  assert.ok(source.cancelled() instanceof TimedOutError, "the source is let go");
});

Deno.test("a body that trickles below the floor rate is cut off once its grace is used", async () => {
  // 10 bytes every 10 ms is ~1000 B/s against a floor of 10000 B/s and 100 bytes of grace.
  const parts = Array.from({ length: 200 }, () => new Uint8Array(10));
  const pace = { idleMs: 1000, floorBytesPerSecond: 10_000, graceBytes: 100 };
  const paced = new PacedBody(bodyOf(parts, 10).stream, pace);
  await assert.rejects(readAll(paced.stream), TimedOutError);
  assert.equal(paced.interrupted, "stalled");
  assert.ok(paced.received < 200 * 10, "cut off before the end");
  assert.match(paced.stalled!.message, /^Upload is slower than 10 KiB\/s, the least rate accepted/);
});

Deno.test("time the reader spends busy does not count against the client", async () => {
  const parts = Array.from({ length: 5 }, () => new Uint8Array(10));
  const paced = new PacedBody(bodyOf(parts).stream, {
    idleMs: 30,
    floorBytesPerSecond: 10_000,
    graceBytes: 0,
  });
  let total = 0;
  for await (const part of paced.stream) {
    total += part.byteLength;
    await sleep(60);
  }
  assert.equal(total, 50);
  assert.equal(paced.interrupted, null);
});

Deno.test("a source whose read fails is reported abandoned, with the bytes received", async () => {
  let sent = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent) return controller.error(new Deno.errors.BadResource("connection closed"));
      sent = true;
      controller.enqueue(new Uint8Array(7));
    },
  }, { highWaterMark: 0 });
  const paced = new PacedBody(stream, FAST);
  await assert.rejects(readAll(paced.stream), Deno.errors.BadResource);
  assert.equal(paced.interrupted, "abandoned");
  assert.equal(paced.received, 7);
});

Deno.test("dispose() lets go of the source and stops the watch", async () => {
  const source = bodyOf([new Uint8Array(1)], 0, true);
  const paced = new PacedBody(source.stream, FAST);
  const reader = paced.stream.getReader();
  await reader.read();
  reader.releaseLock();
  paced.dispose();
  await sleep(0);
  assert.equal(paced.interrupted, null);
  // The test sanitizer fails this test if the watch timer were still armed.
});
