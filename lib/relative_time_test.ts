import assert from "node:assert/strict";
import { relativeTime } from "./relative_time.ts";

Deno.test("under a minute reads as now, so hydrating with the browser's clock changes nothing", () => {
  const now = Date.parse("2026-11-28T10:00:00Z");
  const at = (ms: number) => new Date(now + ms).toISOString();
  assert.equal(relativeTime(at(0), now), "now");
  assert.equal(relativeTime(at(-59_000), now), "now");
  assert.equal(relativeTime(at(-59_000), now, "de"), "jetzt");
  assert.equal(relativeTime(at(-61_000), now), "1 minute ago");
  assert.equal(relativeTime(at(-2 * 3_600_000), now), "2 hours ago");
  assert.equal(relativeTime(at(-86_400_000), now), "yesterday");
  assert.equal(relativeTime(at(3 * 86_400_000), now), "in 3 days");
});
