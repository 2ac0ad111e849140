/**
 * `stats`: conversion per version per day, a table per version, then the split's arms with
 * their intervals and the verdict the server worked out, then the releases of the range.
 */
import type { StatsCounts, StatsInfo, StatsQuery } from "./api_types.ts";
import type { CommandContext } from "./commands.ts";
import { shortTime, table } from "./table.ts";

const HEADERS = [
  "DAY",
  "VISITORS",
  "PAGE VIEWS",
  "CARTS",
  "ORDERS",
  "REVENUE (MINOR UNITS)",
  "ORDERS/VISITORS",
  "ORDERS/CARTS",
];

const whole = new Intl.NumberFormat("en-US");

/** `0.0251` → `2.51 %`; an empty cell when there was nothing to divide by. */
export function percent(rate: number | null): string {
  return rate === null ? "–" : `${(rate * 100).toFixed(2)} %`;
}

function row(label: string, counts: StatsCounts): string[] {
  return [
    label,
    whole.format(counts.visitors),
    whole.format(counts.page_views),
    whole.format(counts.carts),
    whole.format(counts.orders),
    whole.format(counts.revenue),
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
  for (const version of stats.versions) {
    ctx.print(`\nVersion ${version.version}`);
    const days = version.days.map((day) => row(day.day, day));
    ctx.print(table(HEADERS, [...days, row("TOTAL", version.totals)]));
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
