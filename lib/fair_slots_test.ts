import assert from "node:assert/strict";
import { FairSlots } from "./fair_slots.ts";

Deno.test("one owner holds at most its share; another owner still gets a slot", () => {
  const slots = new FairSlots(2, 1);
  const first = slots.take("a");
  assert.equal(typeof first, "function");
  assert.equal(slots.take("a"), "owner_busy");
  const other = slots.take("b");
  assert.equal(typeof other, "function");
  assert.equal(slots.take("c"), "all_busy");
  assert.equal(slots.inUse, 2);
});

Deno.test("a slot given back is free again, and giving it twice frees only one", () => {
  const slots = new FairSlots(2, 1);
  const release = slots.take("a") as () => void;
  slots.take("b");
  release();
  release();
  assert.equal(slots.inUse, 1);
  assert.equal(slots.take("b"), "owner_busy", "b's slot is still held");
  assert.equal(typeof slots.take("a"), "function");
});
