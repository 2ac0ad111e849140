/**
 * `stats`: conversion per version per day, a table per version, then the split's arms with
 * their intervals and the verdict the server worked out, then the releases of the range.
 */
import type { StatsCounts, StatsInfo, StatsQuery } from "./api_types.ts";
import type { CommandContext } from "./commands.ts";
import { shortTime, table } from "./table.ts";

const headers = (currency: string | undefined) => [
  "DAY",
  "VISITORS",
  "PAGE VIEWS",
  "CARTS",
  "ORDERS",
  currency ? `REVENUE (${currency})` : "REVENUE (MINOR UNITS)",
  "ORDERS/VISITORS",
  "ORDERS/CARTS",
];

const whole = new Intl.NumberFormat("en-US");

/** Minor units → `1,234.56` in `currency`'s own number of decimals (0 for JPY). */
export function revenueFormat(currency: string | undefined): (minor: number) => string {
  if (!currency) return (minor) => whole.format(minor);
  let digits = 2;
  try {
    digits = new Intl.NumberFormat("en-US", { style: "currency", currency })
      .resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    // A code ICU does not know: two decimals, as most currencies have.
  }
  const format = new Intl.NumberFormat("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return (minor) => format.format(minor / 10 ** digits);
}

/** `0.0251` → `2.51 %`; an empty cell when there was nothing to divide by. */
export function percent(rate: number | null): string {
  return rate === null ? "–" : `${(rate * 100).toFixed(2)} %`;
}

function row(label: string, counts: StatsCounts, revenue: (minor: number) => string): string[] {
  return [
    label,
    whole.format(counts.visitors),
    whole.format(counts.page_views),
    whole.format(counts.carts),
    whole.format(counts.orders),
    revenue(counts.revenue),
    percent(counts.conversion_rate),
    percent(counts.cart_conversion_rate),
  ];
}

const arms = (split: { version: number; weight: number }[]) =>
  split.map((arm) => `v${arm.version} ${arm.weight} %`).join(" / ");

function printSplit(ctx: CommandContext, split: NonNullable<StatsInfo["split"]>): void {
  const when = split.live ? "in force now" : "ended";
  ctx.print(`Split ${arms(split.arms)}, ${split.from} to ${split.to} (${when})`);
  ctx.print(table(
    ["VERSION", "WEIGHT", "VISITORS", "ORDERS", "ORDERS/VISITORS", "95 % CI"],
    split.arms.map((arm) => [
      String(arm.version),
      `${arm.weight} %`,
      whole.format(arm.visitors),
      whole.format(arm.orders),
      percent(arm.conversion_rate),
      arm.interval ? `${percent(arm.interval.low)} to ${percent(arm.interval.high)}` : "–",
    ]),
  ));
  ctx.print(split.verdict);
}

function printReleases(ctx: CommandContext, releases: StatsInfo["releases"]): void {
  ctx.print("Releases (UTC)");
  for (const release of releases) {
    const target = release.split ? arms(release.split) : `v${release.version ?? "none"}`;
    ctx.print(`  ${shortTime(release.effective_at)}  ${release.kind}  ${target}  by ${release.by}`);
  }
}

/** Prints the stats of `ctx.app`: a table per version, the split and the releases. */
export async function statsCommand(ctx: CommandContext, query: StatsQuery): Promise<void> {
  const stats = await ctx.client.stats(ctx.app, query);
  if (ctx.json) return ctx.print(JSON.stringify(stats));
  ctx.print(`"${ctx.app}", ${stats.mode} traffic, ${stats.from} to ${stats.to} (UTC days)`);
  if (stats.versions.length === 0) ctx.print("\nNothing counted in these days.");
  const revenue = revenueFormat(stats.currency);
  for (const version of stats.versions) {
    ctx.print(`\nVersion ${version.version}`);
    const days = version.days.map((day) => row(day.day, day, revenue));
    ctx.print(table(headers(stats.currency), [...days, row("TOTAL", version.totals, revenue)]));
  }
  if (stats.split) {
    ctx.print("");
    printSplit(ctx, stats.split);
  }
  if (stats.releases.length) {
    ctx.print("");
    printReleases(ctx, stats.releases);
  }
}
