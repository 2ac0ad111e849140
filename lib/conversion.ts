/**
 * Confidence intervals for conversion rates and for the difference between two split arms, and
 * the plain-words verdict the stats answer carries.
 *
 * Written here rather than taken from npm: the two formulas are a dozen lines, and the packages
 * that carry them (simple-statistics, jStat) offer neither Wilson's interval for a proportion nor
 * Newcombe's for a difference, only the normal (Wald) one this module exists to avoid.
 *
 * - One arm: the Wilson score interval (Wilson 1927). Conversion rates sit near 0 (1–5 %), where
 *   the normal approximation p ± z·√(p(1−p)/n) gives a zero-width interval at 0 orders, can reach
 *   below 0, and covers the true rate far less often than it claims; Wilson's stays inside [0, 1]
 *   and keeps close to its 95 % coverage from a few dozen visitors up.
 * - The difference: Newcombe's hybrid score interval ("method 10", Newcombe 1998, Statistics in
 *   Medicine 17:873–890). It is built from the two arms' Wilson intervals, so the difference
 *   never disagrees with the arms shown beside it, and it inherits their behaviour near 0 — the
 *   normal approximation of a difference has the same faults as the single Wald interval.
 */

/** z for a two-sided 95 % interval: the 0.975 quantile of the standard normal distribution. */
export const Z95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/**
 * Wilson score interval for `successes` out of `trials`; null when there are no trials (nothing
 * is known). More successes than trials (a visitor who buys twice) are capped at the trials: the
 * interval is for a proportion.
 */
export function wilson(successes: number, trials: number, z = Z95): Interval | null {
  if (trials <= 0) return null;
  const x = Math.min(Math.max(successes, 0), trials);
  const p = x / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const center = (p + z2 / (2 * trials)) / denominator;
  const half = (z / denominator) * Math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials));
  // At p = 0 or 1 the bound is exactly 0 or 1; float rounding would miss it by a hair.
  return {
    low: x === 0 ? 0 : Math.max(0, center - half),
    high: x === trials ? 1 : Math.min(1, center + half),
  };
}

export interface Difference extends Interval {
  /** p1 − p2. */
  estimate: number;
}

/**
 * Newcombe's hybrid score interval for p1 − p2, from each arm's Wilson interval (l, u):
 * low = d − √((p1 − l1)² + (u2 − p2)²), high = d + √((u1 − p1)² + (p2 − l2)²). Null when either
 * arm has no trials.
 */
export function newcombe(
  successes1: number,
  trials1: number,
  successes2: number,
  trials2: number,
  z = Z95,
): Difference | null {
  const a = wilson(successes1, trials1, z);
  const b = wilson(successes2, trials2, z);
  if (!a || !b) return null;
  const p1 = Math.min(successes1, trials1) / trials1;
  const p2 = Math.min(successes2, trials2) / trials2;
  const estimate = p1 - p2;
  return {
    estimate,
    low: estimate - Math.sqrt((p1 - a.low) ** 2 + (b.high - p2) ** 2),
    high: estimate + Math.sqrt((a.high - p1) ** 2 + (p2 - b.low) ** 2),
  };
}

/** One arm of a split, as counted: visitors are the trials, orders the successes. */
export interface ArmCounts {
  version: number;
  visitors: number;
  orders: number;
}

/**
 * Below these counts the verdict says "not enough data yet" whatever the interval: the intervals
 * are sound for small counts, but a sentence naming a winner after a handful of visitors invites
 * stopping the test on noise.
 */
export const MIN_VISITORS_PER_ARM = 100;
export const MIN_ORDERS = 5;

export interface Comparison {
  /** The arm converting best, and the runner-up it is compared with. */
  leader: number;
  baseline: number;
  /** leader − baseline; null while an arm has no visitors. */
  difference: Difference | null;
  verdict: string;
}

/** `0.0123` → `+1.2` (percentage points, signed, one decimal; a minus sign, not a hyphen). */
export function points(fraction: number): string {
  const value = Math.round(fraction * 1000) / 10;
  const text = Math.abs(value).toFixed(1);
  return value > 0 ? `+${text}` : value < 0 ? `−${text}` : text;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

const rate = (arm: ArmCounts) => Math.min(arm.orders, arm.visitors) / arm.visitors;

/**
 * Compares the best-converting arm with the runner-up (by observed rate; the lower version wins
 * a tie, so the answer is stable) and says in plain words what the data shows: "not enough data
 * yet", "v8 converts better than v7: +1.2 points, 95 % CI +0.4 to +2.0", or "no clear difference
 * yet" with the same figures. Null with fewer than two arms.
 */
export function compareArms(arms: ArmCounts[]): Comparison | null {
  if (arms.length < 2) return null;
  const enough = arms.every((arm) => arm.visitors >= MIN_VISITORS_PER_ARM) &&
    arms.reduce((sum, arm) => sum + arm.orders, 0) >= MIN_ORDERS;
  const ranked = [...arms].sort((a, b) =>
    (b.visitors ? rate(b) : -1) - (a.visitors ? rate(a) : -1) || a.version - b.version
  );
  const [leader, baseline] = ranked;
  const difference = newcombe(leader.orders, leader.visitors, baseline.orders, baseline.visitors);
  if (!enough || !difference) {
    const counts = arms.map((arm) =>
      `v${arm.version} ${plural(arm.visitors, "visitor")}, ${plural(arm.orders, "order")}`
    );
    return {
      leader: leader.version,
      baseline: baseline.version,
      difference,
      verdict: `Not enough data yet (${counts.join("; ")}): each arm needs ` +
        `${MIN_VISITORS_PER_ARM} visitors and the split ${MIN_ORDERS} orders`,
    };
  }
  const figures = `${points(difference.estimate)} points, 95 % CI ${points(difference.low)} to ` +
    points(difference.high);
  const verdict = difference.low > 0
    ? `v${leader.version} converts better than v${baseline.version}: ${figures}`
    : `No clear difference yet: v${leader.version} ${figures} against v${baseline.version}`;
  return { leader: leader.version, baseline: baseline.version, difference, verdict };
}
