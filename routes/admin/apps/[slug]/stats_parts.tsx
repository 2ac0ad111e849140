/**
 * The pieces of the stats page: the chart's data from the report, the per-day table, each
 * version's totals, and a split's arms with their intervals and verdict.
 */
import { type ChartMarker, SERIES_COLOURS } from "../../../../components/conversion_chart.tsx";
import { formatMoney } from "../../../../commerce/money.ts";
import type {
  DatedRelease,
  SplitStats,
  StatsReport,
  VersionStats,
} from "../../../../kv/stats_report.ts";
import { formatNumber } from "../../../../lib/format.ts";

const DAY_MS = 86_400_000;

/** `0.0234` → `2.3`: a fraction as a percentage with one decimal. */
const percent = (value: number) => (Math.round(value * 1000) / 10).toFixed(1);

/** `0.0234` → `2.3 %`; `—` when there is nothing to divide by. */
export function rate(value: number | null): string {
  return value === null ? "—" : `${percent(value)} %`;
}

/** What a release did, in a few characters for the chart: `v8`, `split v7/v8`, `↩ v7`. */
export function releaseLabel(release: DatedRelease): string {
  if (release.split) return `split ${release.split.map((arm) => `v${arm.version}`).join("/")}`;
  if (release.version === null) return "nothing live";
  return release.kind === "rollback" ? `↩ v${release.version}` : `v${release.version}`;
}

/**
 * The versions the chart draws: the most visited, as many as it has distinct colours. More lines
 * could not be told apart; the totals table lists every version.
 */
export function chartedVersions(report: StatsReport): VersionStats[] {
  return [...report.versions].sort((a, b) => b.totals.visitors - a.totals.visitors)
    .slice(0, SERIES_COLOURS)
    .sort((a, b) => a.version - b.version);
}

function describe(report: StatsReport, charted: VersionStats[], markers: ChartMarker[]): string {
  const lines = charted.map((v) =>
    `v${v.version}: ${rate(v.totals.conversion_rate)} of ${v.totals.visitors} visitors ordered`
  );
  const left = report.versions.length - charted.length;
  const more = left > 0 ? ` (and ${left} less visited versions, in the totals table)` : "";
  const releases = markers.length
    ? `Releases marked: ${markers.map((m) => m.label).join(", ")}.`
    : "No release in this range.";
  return `From ${report.from} to ${report.to}, ${charted.length} versions${more}. ${
    lines.join("; ")
  }. ${releases} Exact figures are in the table below.`;
}

/** The chart's series (one per charted version, a point per day with visitors) and releases. */
export function chartOf(report: StatsReport, days: string[]) {
  const index = new Map(days.map((day, i) => [day, i]));
  const charted = chartedVersions(report);
  const series = charted.map((v) => {
    const points: (number | null)[] = days.map(() => null);
    for (const day of v.days) {
      const i = index.get(day.day);
      if (i !== undefined && day.visitors > 0) points[i] = day.conversion_rate;
    }
    return { version: v.version, points };
  });
  const start = Date.parse(`${report.from}T00:00:00Z`);
  const markers = [...report.releases].reverse().map((release) => ({
    at: (Date.parse(release.effective_at) - start) / DAY_MS,
    label: releaseLabel(release),
  }));
  return {
    series,
    markers,
    title: `Conversion per version per day, ${report.mode} traffic`,
    description: describe(report, charted, markers),
  };
}

/** Every day a version counted something, newest first: the chart's exact figures. */
export function DailyTable({ report, locale }: { report: StatsReport; locale: string }) {
  const rows = chartedVersions(report).flatMap((v) =>
    v.days.map((day) => ({ version: v.version, day }))
  )
    .sort((a, b) => a.day.day < b.day.day ? 1 : a.day.day > b.day.day ? -1 : a.version - b.version);
  return (
    <details class="daily">
      <summary>
        The chart's figures, day by day ({rows.length} {rows.length === 1 ? "row" : "rows"})
      </summary>
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">Visitors, orders and conversion per day</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Version</th>
              <th scope="col" class="num">Visitors</th>
              <th scope="col" class="num">Carts</th>
              <th scope="col" class="num">Orders</th>
              <th scope="col" class="num">Orders ÷ visitors</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ version, day }) => (
              <tr key={`${day.day}-${version}`}>
                <td>{day.day}</td>
                <td>v{version}</td>
                <td class="num">{formatNumber(day.visitors, locale)}</td>
                <td class="num">{formatNumber(day.carts, locale)}</td>
                <td class="num">{formatNumber(day.orders, locale)}</td>
                <td class="num">{rate(day.conversion_rate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

/** Each version's totals over the range, with a link to its orders. */
export function TotalsTable(
  { report, locale, slug, mode }: {
    report: StatsReport;
    locale: string;
    slug: string;
    mode: string;
  },
) {
  const money = (minor: number) => formatMoney(minor, report.currency, locale);
  return (
    <section class="card">
      <h2>Totals per version</h2>
      <div class="table-wrap">
        <table class="totals rows">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col" class="num">Visitors</th>
              <th scope="col" class="num hide-narrow">Page views</th>
              <th scope="col" class="num hide-narrow">Carts</th>
              <th scope="col" class="num">Orders</th>
              <th scope="col" class="num">Revenue</th>
              <th scope="col" class="num">Orders ÷ visitors</th>
              <th scope="col" class="num">Orders ÷ carts</th>
            </tr>
          </thead>
          <tbody>
            {report.versions.map(({ version, totals }) => (
              <tr key={version}>
                <th scope="row">v{version}</th>
                <td class="num">{formatNumber(totals.visitors, locale)}</td>
                <td class="num hide-narrow">{formatNumber(totals.page_views, locale)}</td>
                <td class="num hide-narrow">{formatNumber(totals.carts, locale)}</td>
                <td class="num">
                  <a
                    href={`/orders?app=${slug}&version=${version}&mode=${mode}`}
                    aria-label={`${totals.orders} orders of v${version}`}
                  >
                    {formatNumber(totals.orders, locale)}
                  </a>
                </td>
                <td class="num">{money(totals.revenue)}</td>
                <td class="num">{rate(totals.conversion_rate)}</td>
                <td class="num">{rate(totals.cart_conversion_rate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="hint">
        Revenue counts paid orders in {report.currency}. Days are UTC.
      </p>
    </section>
  );
}

/** A split's arms, each with its 95 % interval, and the verdict in words. */
export function SplitCard({ split }: { split: SplitStats }) {
  const interval = (low: number, high: number) => `${percent(low)}–${percent(high)} %`;
  return (
    <section class="card split-stats">
      <h2>
        Traffic split {split.live ? "running now" : "that ran"}{" "}
        <span class="muted small">({split.from} to {split.to})</span>
      </h2>
      <p class="verdict">{split.verdict}</p>
      <div class="table-wrap">
        <table class="rows">
          <thead>
            <tr>
              <th scope="col">Arm</th>
              <th scope="col" class="num hide-narrow">Share</th>
              <th scope="col" class="num">Visitors</th>
              <th scope="col" class="num hide-narrow">Orders</th>
              <th scope="col" class="num">Conversion</th>
              <th scope="col" class="num">95 % interval</th>
            </tr>
          </thead>
          <tbody>
            {split.arms.map((arm) => (
              <tr key={arm.version}>
                <th scope="row">v{arm.version}</th>
                <td class="num hide-narrow">{arm.weight} %</td>
                <td class="num">{arm.visitors}</td>
                <td class="num hide-narrow">{arm.orders}</td>
                <td class="num">{rate(arm.conversion_rate)}</td>
                <td class="num">
                  {arm.interval ? interval(arm.interval.low, arm.interval.high) : "—"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
