/**
 * The stats report, put together from counter rows, releases and the live target (pure: no KV).
 * Counter names: `visitors` and `page_views` (edge/counters.ts), `carts`, `orders` and `revenue`
 * (the shopper API, as carts and paid orders are made; revenue in minor units of the account's
 * currency). Days are UTC.
 */
import { compareArms, type Interval, wilson } from "../lib/conversion.ts";
import type { CounterRow } from "./counters.ts";
import type { Release } from "./live.ts";
import type { SplitArm, Target } from "./live_record.ts";
import { effectiveReleases, splitPeriod } from "./split_period.ts";

export const COUNTED = ["visitors", "page_views", "carts", "orders", "revenue"] as const;
type Counted = typeof COUNTED[number];

export type Counts = Record<Counted, number> & {
  /** orders ÷ visitors; null without visitors. */
  conversion_rate: number | null;
  /** orders ÷ carts; null without carts. */
  cart_conversion_rate: number | null;
};

export interface VersionStats {
  version: number;
  totals: Counts;
  /** Days with any count, oldest first; a day left out counted nothing. */
  days: (Counts & { day: string })[];
}

export interface ArmStats {
  version: number;
  weight: number;
  visitors: number;
  orders: number;
  conversion_rate: number | null;
  /** 95 % Wilson score interval of `conversion_rate`; null without visitors. */
  interval: Interval | null;
}

export interface SplitStats {
  /** The days of the range the split was in force (whole UTC days). */
  from: string;
  to: string;
  /** Whether the split is what shoppers get now. */
  live: boolean;
  arms: ArmStats[];
  /** The best-converting arm against the runner-up. */
  comparison: {
    leader: number;
    baseline: number;
    /** leader − baseline conversion, with its 95 % interval (Newcombe's hybrid score). */
    difference: number;
    interval: Interval;
    method: "newcombe_hybrid_score";
  } | null;
  verdict: string;
}

export interface StatsReport {
  from: string;
  to: string;
  mode: "live" | "test";
  /** The currency of `revenue` (ISO 4217), in its minor units. */
  currency: string;
  versions: VersionStats[];
  split: SplitStats | null;
  /** Releases that took effect in the range, newest first. */
  releases: DatedRelease[];
}

/** A release and when it took effect (`at`, or `scheduled_at` for a scheduled change). */
export type DatedRelease = Release & { effective_at: string };

const empty = (): Record<Counted, number> => ({
  visitors: 0,
  page_views: 0,
  carts: 0,
  orders: 0,
  revenue: 0,
});

function withRates(counts: Record<Counted, number>): Counts {
  return {
    ...counts,
    conversion_rate: counts.visitors ? counts.orders / counts.visitors : null,
    cart_conversion_rate: counts.carts ? counts.orders / counts.carts : null,
  };
}

const isCounted = (name: string): name is Counted => (COUNTED as readonly string[]).includes(name);

/** Rows summed per version and day (other counter names, such as beacon reports, left out). */
function perVersion(rows: CounterRow[]): Map<number, Map<string, Record<Counted, number>>> {
  const versions = new Map<number, Map<string, Record<Counted, number>>>();
  for (const row of rows) {
    if (!isCounted(row.name)) continue;
    let days = versions.get(row.version);
    if (!days) versions.set(row.version, days = new Map());
    let counts = days.get(row.day);
    if (!counts) days.set(row.day, counts = empty());
    counts[row.name] += row.value;
  }
  return versions;
}

function versionStats(version: number, days: Map<string, Record<Counted, number>>): VersionStats {
  const totals = empty();
  const list = [...days].sort(([a], [b]) => a < b ? -1 : 1).map(([day, counts]) => {
    for (const name of COUNTED) totals[name] += counts[name];
    return { day, ...withRates(counts) };
  });
  return { version, totals: withRates(totals), days: list };
}

function armStats(
  arm: SplitArm,
  days: Map<string, Record<Counted, number>> | undefined,
  from: string,
  to: string,
): ArmStats {
  let visitors = 0;
  let orders = 0;
  for (const [day, counts] of days ?? []) {
    if (day < from || day > to) continue;
    visitors += counts.visitors;
    orders += counts.orders;
  }
  return {
    version: arm.version,
    weight: arm.weight,
    visitors,
    orders,
    conversion_rate: visitors ? orders / visitors : null,
    interval: wilson(orders, visitors),
  };
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The range's first instant and the instant after its last day, in ms (UTC days). */
function rangeMs(input: { from: string; to: string }): [number, number] {
  return [Date.parse(`${input.from}T00:00:00Z`), Date.parse(`${input.to}T00:00:00Z`) + 86_400_000];
}

function splitStats(
  input: ReportInput,
  versions: Map<number, Map<string, Record<Counted, number>>>,
): SplitStats | null {
  const [rangeStart, rangeEnd] = rangeMs(input);
  const period = splitPeriod(input.releases, input.current, rangeStart, rangeEnd, input.now);
  if (!period) return null;
  const from = Number.isFinite(period.start)
    ? [input.from, dayOf(period.start)].sort()[1]
    : input.from;
  const to = period.end === null ? input.to : [input.to, dayOf(period.end)].sort()[0];
  const arms = period.arms.map((arm) => armStats(arm, versions.get(arm.version), from, to));
  const comparison = compareArms(arms);
  const difference = comparison?.difference;
  return {
    from,
    to,
    live: period.end === null,
    arms,
    comparison: comparison && difference
      ? {
        leader: comparison.leader,
        baseline: comparison.baseline,
        difference: difference.estimate,
        interval: { low: difference.low, high: difference.high },
        method: "newcombe_hybrid_score",
      }
      : null,
    verdict: comparison?.verdict ?? "A split needs two arms",
  };
}

export interface ReportInput {
  from: string;
  to: string;
  mode: "live" | "test";
  currency: string;
  now: number;
  rows: CounterRow[];
  /** Newest first. */
  releases: Release[];
  current: Target;
}

/** The report for one mode and range of days. Splits only apply to live traffic. */
export function buildReport(input: ReportInput): StatsReport {
  const versions = perVersion(input.rows);
  const [rangeStart, rangeEnd] = rangeMs(input);
  const releases = effectiveReleases(input.releases, input.now)
    .filter(({ effective }) => effective >= rangeStart && effective < rangeEnd)
    .reverse()
    .map(({ release, effective }) => ({
      ...release,
      effective_at: new Date(effective).toISOString(),
    }));
  return {
    from: input.from,
    to: input.to,
    mode: input.mode,
    currency: input.currency,
    versions: [...versions].sort(([a], [b]) => a - b).map(([n, days]) => versionStats(n, days)),
    split: input.mode === "live" ? splitStats(input, versions) : null,
    releases,
  };
}
