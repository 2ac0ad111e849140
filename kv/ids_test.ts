import assert from "node:assert/strict";
import { encodeId, idTime, newId } from "./ids.ts";

Deno.test("ids are 26 Crockford characters that carry their time", () => {
  const id = newId(Date.UTC(2026, 10, 28, 6, 0, 0, 123));
  assert.match(id, /^[0-9abcdefghjkmnpqrstvwxyz]{26}$/);
  assert.equal(idTime(id), Date.UTC(2026, 10, 28, 6, 0, 0, 123));
});

Deno.test("ids are encoded as the ULID reference implementation encodes them", () => {
  // 2100-01-01T00:00:00.123Z is 03QCPC7P3V by the `ulid` package's encodeTime; the random part
  // is 80 bits, 16 characters, most significant first.
  const id = encodeId(4102444800123, (1n << 80n) - 2n);
  assert.equal(id, "03qcpc7p3v" + "z".repeat(15) + "y");
  assert.equal(idTime(id.toUpperCase()), 4102444800123);
  assert.equal(encodeId(0, 1n), "0".repeat(25) + "1");
});

Deno.test("ids made in one millisecond, or as the clock steps back, still sort in order", () => {
  const now = Date.now() + 60_000;
  const ids = [newId(now), newId(now), newId(now), newId(now - 5_000), newId(now + 1)];
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids).size, ids.length);
});

Deno.test("a string that is not an id has no time", () => {
  assert.ok(Number.isNaN(idTime("not-an-id")));
  assert.ok(Number.isNaN(idTime("u".repeat(26))));
});
