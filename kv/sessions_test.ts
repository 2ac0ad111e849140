import assert from "node:assert/strict";
import { createSession, readSession, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from "./sessions.ts";

const START = { personId: "p1", accountId: "a1", name: "Ada", method: "link" };

Deno.test("a session unused for 7 days is over", async () => {
  using kv = await Deno.openKv(":memory:");
  const now = Date.now();
  const { id } = await createSession(kv, START, now);
  assert.ok(await readSession(kv, id, now + SESSION_IDLE_MS - 60_000));
  assert.equal(await readSession(kv, id, now + 2 * SESSION_IDLE_MS), null);
});

Deno.test("a session in daily use still ends 30 days after sign-in", async () => {
  using kv = await Deno.openKv(":memory:");
  const now = Date.now();
  const { id } = await createSession(kv, START, now);
  const day = 24 * 3_600_000;
  for (let t = now; t < now + SESSION_ABSOLUTE_MS; t += day) {
    assert.ok(await readSession(kv, id, t), `day ${(t - now) / day}`);
  }
  assert.equal(await readSession(kv, id, now + SESSION_ABSOLUTE_MS), null);
});

Deno.test("a made-up id reads nothing", async () => {
  using kv = await Deno.openKv(":memory:");
  assert.equal(await readSession(kv, "z".repeat(43)), null);
  assert.equal(await readSession(kv, "short"), null);
});
