import assert from "node:assert/strict";
import { parseVersionNumber } from "./version_number.ts";

Deno.test("a version number is plain decimal from 1 to 2^31", () => {
  assert.equal(parseVersionNumber("1"), 1);
  assert.equal(parseVersionNumber("42"), 42);
  assert.equal(parseVersionNumber("2147483648"), 2 ** 31);
});

Deno.test("every other way of writing a number is refused", () => {
  for (
    const text of [
      "",
      "0",
      "01",
      "+2",
      "-1",
      "2e0",
      "1e3",
      "0x1",
      "1.0",
      " 1",
      "1 ",
      "1%20",
      "2147483649",
      "99999999999",
      "１",
      "Infinity",
    ]
  ) {
    assert.equal(parseVersionNumber(text), null, JSON.stringify(text));
  }
});
