import assert from "node:assert/strict";
import { ifRangeHolds, parseRange } from "./ranges.ts";

Deno.test("parseRange() reads one byte range and ignores what it may ignore", () => {
  const size = 100;
  const cases: [string, unknown][] = [
    ["bytes=0-9", { kind: "part", start: 0, end: 9 }],
    ["bytes=90-", { kind: "part", start: 90, end: 99 }],
    ["bytes=-10", { kind: "part", start: 90, end: 99 }],
    ["bytes=-500", { kind: "part", start: 0, end: 99 }],
    ["bytes=50-500", { kind: "part", start: 50, end: 99 }],
    ["bytes = 1 - 2", { kind: "part", start: 1, end: 2 }],
    ["bytes=100-", { kind: "unsatisfiable" }],
    ["bytes=100-200", { kind: "unsatisfiable" }],
    ["bytes=-0", { kind: "unsatisfiable" }],
    ["bytes=5-1", { kind: "whole" }],
    ["bytes=0-1,3-4", { kind: "whole" }],
    ["bytes=-", { kind: "whole" }],
    ["pages=1-2", { kind: "whole" }],
    ["bytes=a-b", { kind: "whole" }],
  ];
  for (const [header, expected] of cases) {
    assert.deepEqual(parseRange(header, size), expected, header);
  }
  assert.deepEqual(parseRange("bytes=0-", 0), { kind: "unsatisfiable" });
});

Deno.test("ifRangeHolds() compares entity tags strongly and dates exactly", () => {
  const date = "Tue, 01 Dec 2026 10:00:00 GMT";
  assert.ok(ifRangeHolds('"abc"', '"abc"', date));
  assert.ok(!ifRangeHolds('W/"abc"', '"abc"', date));
  assert.ok(!ifRangeHolds('"abd"', '"abc"', date));
  assert.ok(ifRangeHolds(date, '"abc"', date));
  assert.ok(!ifRangeHolds("Tue, 01 Dec 2026 10:00:01 GMT", '"abc"', date));
});
