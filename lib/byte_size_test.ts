import assert from "node:assert/strict";
import { byteSize, savedShare } from "./byte_size.ts";

Deno.test("byteSize() picks a decimal unit and rounds sensibly", () => {
  assert.equal(byteSize(0), "0 bytes");
  assert.equal(byteSize(999), "999 bytes");
  assert.equal(byteSize(1_323), "1.3 kB");
  assert.equal(byteSize(46_890), "46.9 kB");
  assert.equal(byteSize(460_000), "460 kB");
  assert.equal(byteSize(2_100_000), "2.1 MB");
  assert.equal(byteSize(1_323, "de"), "1,3 kB");
});

Deno.test("savedShare() says how much smaller a variant is", () => {
  assert.equal(savedShare(1000, 280), "-72%");
  assert.equal(savedShare(0, 0), "");
});
