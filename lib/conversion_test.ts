import assert from "node:assert/strict";
import { compareArms, newcombe, points, wilson } from "./conversion.ts";

const near = (actual: number, expected: number, what: string, digits = 4) =>
  assert.ok(
    Math.abs(actual - expected) < 0.5 * 10 ** -digits,
    `${what}: ${actual} is not ${expected} to ${digits} places`,
  );

Deno.test("wilson() matches the hand-computed interval for 45 orders from 1,000 visitors", () => {
  // p = 0.045, z² = 3.841459, z²/n = 0.003841459, d = 1 + z²/n = 1.003841459
  // centre = (p + z²/2n) / d = (0.045 + 0.001920730) / 1.003841459 = 0.046741
  // half   = z/d · √(p(1−p)/n + z²/4n²) = 1.952464 · √(0.000042975 + 0.00000096036)
  //        = 1.952464 · 0.0066284 = 0.012942
  // → 0.033799 to 0.059683
  const interval = wilson(45, 1000)!;
  near(interval.low, 0.033799, "low", 5);
  near(interval.high, 0.059683, "high", 5);
});

Deno.test("wilson() matches Newcombe's published examples (Stat Med 1998, table I)", () => {
  const cases: [number, number, number, number][] = [
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ];
  for (const [x, n, low, high] of cases) {
    const interval = wilson(x, n)!;
    near(interval.low, low, `${x}/${n} low`);
    near(interval.high, high, `${x}/${n} high`);
  }
});

Deno.test("wilson() knows nothing without trials and caps successes at the trials", () => {
  assert.equal(wilson(0, 0), null);
  assert.deepEqual(wilson(12, 10), wilson(10, 10));
  assert.equal(wilson(10, 10)!.high, 1);
});

Deno.test("newcombe() matches the hand-computed difference of 45/1000 and 25/1000", () => {
  // d = 0.045 − 0.025 = 0.020; arms: 45/1000 → 0.033800–0.059683, 25/1000 → 0.016990–0.036645
  // low  = d − √((0.045 − 0.033800)² + (0.036645 − 0.025)²) = 0.020 − √0.00026106 = 0.003843
  // high = d + √((0.059683 − 0.045)² + (0.025 − 0.016990)²) = 0.020 + √0.00027975 = 0.036726
  const difference = newcombe(45, 1000, 25, 1000)!;
  near(difference.estimate, 0.02, "estimate", 6);
  near(difference.low, 0.003843, "low", 5);
  near(difference.high, 0.036726, "high", 5);
});

Deno.test("newcombe() matches Newcombe's published hybrid score example 56/70 − 48/80", () => {
  const difference = newcombe(56, 70, 48, 80)!;
  near(difference.low, 0.0524, "low");
  near(difference.high, 0.3339, "high");
  assert.equal(newcombe(1, 10, 0, 0), null);
});

Deno.test("points() writes signed percentage points with one decimal", () => {
  assert.equal(points(0.0123), "+1.2");
  assert.equal(points(-0.00449), "−0.4");
  assert.equal(points(0.00004), "0.0");
});

Deno.test("compareArms() names the winner when the interval of the difference excludes 0", () => {
  const comparison = compareArms([
    { version: 7, visitors: 1000, orders: 25 },
    { version: 8, visitors: 1000, orders: 45 },
  ])!;
  assert.equal(comparison.leader, 8);
  assert.equal(comparison.baseline, 7);
  assert.equal(
    comparison.verdict,
    "v8 converts better than v7: +2.0 points, 95 % CI +0.4 to +3.7",
  );
});

Deno.test("compareArms() says there is no clear difference while the interval spans 0", () => {
  const comparison = compareArms([
    { version: 1, visitors: 500, orders: 15 },
    { version: 2, visitors: 500, orders: 12 },
  ])!;
  assert.equal(comparison.leader, 1);
  assert.match(
    comparison.verdict,
    /^No clear difference yet: v1 \+0\.6 points, 95 % CI −1\.\d to \+2\.\d against v2$/,
  );
});

Deno.test("compareArms() waits for enough visitors and orders before naming anyone", () => {
  const few = compareArms([
    { version: 1, visitors: 99, orders: 9 },
    { version: 2, visitors: 400, orders: 2 },
  ])!;
  assert.match(few.verdict, /^Not enough data yet \(v1 99 visitors, 9 orders; v2 400 visitors/);
  const none = compareArms([
    { version: 1, visitors: 0, orders: 0 },
    { version: 2, visitors: 300, orders: 1 },
  ])!;
  assert.equal(none.difference, null);
  assert.match(none.verdict, /^Not enough data yet/);
  assert.equal(compareArms([{ version: 1, visitors: 10, orders: 1 }]), null);
});
