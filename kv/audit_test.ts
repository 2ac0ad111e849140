import assert from "node:assert/strict";
import { type AuditBy, auditEntry, listAudit, withAudit } from "./audit.ts";

const app = { id: "app1", slug: "shop" };
const by = (id: string): AuditBy => ({
  accountId: "acct",
  actor: { type: "token", id, name: id },
  ip: "192.0.2.1",
});

Deno.test("both filters look through 1,000 entries a page and hand back a cursor to go on", async () => {
  using kv = await Deno.openKv(":memory:");
  // The oldest entry is the only one by "b"; 1,200 newer ones by "a" stand before it.
  await withAudit(kv.atomic(), auditEntry(by("b"), "app.create", { app }, 1_000)).commit();
  for (let batch = 0; batch < 4; batch++) {
    const op = kv.atomic();
    for (let i = 0; i < 300; i++) {
      withAudit(op, auditEntry(by("a"), "live.promote", { app }, 2_000 + batch * 300 + i));
    }
    await op.commit();
  }
  const first = await listAudit(kv, "acct", { appId: "app1", actorId: "b", limit: 10 });
  assert.deepEqual(first.items, [], "the first 1,000 entries hold none of b's");
  assert.ok(first.next_cursor, "but there is more to look through");
  const second = await listAudit(kv, "acct", {
    appId: "app1",
    actorId: "b",
    limit: 10,
    cursor: first.next_cursor,
  });
  assert.deepEqual(second.items.map((entry) => entry.actor.id), ["b"]);
  assert.equal(second.next_cursor, null);

  const byActor = await listAudit(kv, "acct", { actorId: "b" });
  assert.deepEqual(byActor.items.map((entry) => entry.action), ["app.create"], "its index: exact");
});

Deno.test("an entry's summary text is cut, so one entry stays small", () => {
  const entry = auditEntry(by("a"), "link.create", { summary: { label: "x".repeat(5_000) } });
  assert.equal((entry.summary.label as string).length, 200);
});
