import assert from "node:assert/strict";
import type { Release } from "./live.ts";
import { effectiveReleases, splitPeriod } from "./split_period.ts";

const T = (hour: number) => Date.parse(`2026-11-20T${String(hour).padStart(2, "0")}:00:00Z`);
const iso = (hour: number) => new Date(T(hour)).toISOString();
const AB = [{ version: 1, weight: 50 }, { version: 2, weight: 50 }];

function release(seq: number, hour: number, fields: Partial<Release>): Release {
  return {
    seq,
    version: 1,
    split: null,
    previous: null,
    at: iso(hour),
    by: "t",
    kind: "promote",
    ...fields,
  };
}

Deno.test("a scheduled change counts from its time; a cancelled one never", () => {
  const releases = [
    release(1, 1, {}),
    release(2, 2, { kind: "schedule", split: AB, schedule_id: "s1", scheduled_at: iso(5) }),
    release(3, 3, { kind: "schedule", version: 2, schedule_id: "s2", scheduled_at: iso(6) }),
    release(4, 4, { kind: "schedule", schedule_id: "s2", cancelled: true }),
    release(5, 4, { kind: "schedule", version: 2, schedule_id: "s3", scheduled_at: iso(20) }),
  ];
  const changes = effectiveReleases(releases, T(10));
  assert.deepEqual(changes.map((c) => [c.release.seq, c.effective]), [[1, T(1)], [2, T(5)]]);
  const period = splitPeriod(releases, { version: 1, split: AB }, T(0), T(24), T(10))!;
  assert.deepEqual(period, { arms: AB, start: T(5), end: null });
});

Deno.test("the latest split overlapping the range is the one reported, weights as last set", () => {
  const releases = [
    release(1, 1, { kind: "split", split: AB }),
    release(2, 2, {
      kind: "split",
      split: [{ version: 1, weight: 20 }, { version: 2, weight: 80 }],
    }),
    release(3, 3, { version: 2 }),
    release(4, 5, {
      kind: "split",
      split: [{ version: 2, weight: 50 }, { version: 3, weight: 50 }],
    }),
    release(5, 7, { version: 3 }),
  ];
  const first = splitPeriod(releases, { version: 3, split: null }, T(0), T(4), T(10))!;
  assert.deepEqual(first, {
    arms: [{ version: 1, weight: 20 }, { version: 2, weight: 80 }],
    start: T(1),
    end: T(3),
  });
  const second = splitPeriod(releases, { version: 3, split: null }, T(0), T(24), T(10))!;
  assert.deepEqual([second.start, second.end], [T(5), T(7)]);
  assert.equal(splitPeriod(releases, { version: 3, split: null }, T(8), T(24), T(10)), null);
  // A split older than the history read is still in force: it runs from the start of time.
  const old = splitPeriod([], { version: 1, split: AB }, T(8), T(24), T(10))!;
  assert.deepEqual([old.start, old.end], [-Infinity, null]);
});
