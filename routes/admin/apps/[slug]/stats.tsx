/**
 * `/apps/:slug/stats`: which version sells. Conversion per version per day as a chart drawn on
 * the server with the releases on the same time axis, a table of the same figures, each
 * version's totals, and a running split's arms with their intervals and verdict. The report is
 * `readStats` (kv/stats.ts), the very function `GET /api/v1/apps/{slug}/stats` answers with.
 * The range and mode are plain links: the page ships no JavaScript.
 */
import { ConversionChart, SERIES_COLOURS } from "../../../../components/conversion_chart.tsx";
import { getApp } from "../../../../kv/apps.ts";
import { dayAfter, readStats } from "../../../../kv/stats.ts";
import { appUrl } from "../../../../lib/urls.ts";
import { definePage } from "../../context.ts";
import { chartOf, DailyTable, SplitCard, TotalsTable } from "./stats_parts.tsx";

/** The ranges offered, in days up to today. */
export const RANGES = [7, 30, 90] as const;
const DAY_MS = 86_400_000;

/** The range and mode asked for, anything unknown falling back to 30 days of live traffic. */
export function statsQuery(url: URL, now: number) {
  const asked = Number(url.searchParams.get("range"));
  const range = (RANGES as readonly number[]).includes(asked) ? asked : 30;
  const mode = url.searchParams.get("mode") === "test" ? "test" as const : "live" as const;
  const to = new Date(now).toISOString().slice(0, 10);
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - (range - 1) * DAY_MS).toISOString()
    .slice(0, 10);
  return { range, mode, from, to };
}

/** Every day from `from` to `to`, both included. */
export function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = dayAfter(day)) days.push(day);
  return days;
}

function Picker(
  { slug, range, mode }: { slug: string; range: number; mode: string },
) {
  const href = (r: number, m: string) => `/apps/${slug}/stats?range=${r}&mode=${m}`;
  return (
    <div class="row spread picker">
      <nav class="segmented" aria-label="Range: the last days">
        {RANGES.map((r) => (
          <a key={r} href={href(r, mode)} aria-current={r === range ? "page" : undefined}>
            {r} days
          </a>
        ))}
      </nav>
      <nav class="segmented" aria-label="Traffic">
        <a href={href(range, "live")} aria-current={mode === "live" ? "page" : undefined}>
          Live
        </a>
        <a href={href(range, "test")} aria-current={mode === "test" ? "page" : undefined}>
          Test links
        </a>
      </nav>
    </div>
  );
}

function Empty({ mode, url, slug }: { mode: string; url: string; slug: string }) {
  return (
    <section class="card empty">
      <h2>{mode === "test" ? "No test visits in this range" : "No shoppers yet"}</h2>
      {mode === "test"
        ? (
          <p class="muted">
            Visits and orders made through a test link show here. Create a test link on a version of
            {" "}
            <a href={`/apps/${slug}`}>the app's page</a> and open it.
          </p>
        )
        : (
          <p class="muted">
            Share the storefront link — visitors, carts and orders show here per version as they
            come: <a href={url}>{url}</a>
          </p>
        )}
    </section>
  );
}

export default definePage({
  async GET(ctx) {
    const app = await getApp(ctx.kv, ctx.user.account.id, ctx.params.slug);
    const query = statsQuery(ctx.url, ctx.now);
    const report = await readStats(ctx.kv, app, { ...query, now: ctx.now });
    const days = daysOf(report.from, report.to);
    const chart = chartOf(report, days);
    const show = { locale: ctx.locale, slug: app.slug, mode: report.mode };
    return {
      title: `${app.name}: stats`,
      heading: `${app.name}: which version sells`,
      body: (
        <>
          <nav class="crumbs" aria-label="Breadcrumb">
            <a href="/">Apps</a> <span aria-hidden="true">/</span>{" "}
            <a href={`/apps/${app.slug}`}>{app.slug}</a> <span aria-hidden="true">/</span> stats
          </nav>
          <Picker slug={app.slug} range={query.range} mode={report.mode} />
          {report.versions.length === 0
            ? <Empty mode={report.mode} url={appUrl(ctx.config, app.slug)} slug={app.slug} />
            : (
              <>
                {report.split && <SplitCard split={report.split} />}
                <section class="card">
                  <h2>Conversion per day</h2>
                  <div
                    class="chart-scroll"
                    tabIndex={0}
                    role="group"
                    aria-label="Chart (scrolls sideways on a small screen)"
                  >
                    <ConversionChart id="conversion" days={days} {...chart} />
                  </div>
                  <Legend
                    versions={chart.series.map((s) => s.version)}
                    releases={chart.markers.length > 0}
                  />
                  <DailyTable report={report} locale={ctx.locale} />
                </section>
                <TotalsTable report={report} {...show} />
              </>
            )}
        </>
      ),
    };
  },
});

function Legend({ versions, releases }: { versions: number[]; releases: boolean }) {
  return (
    <ul class="legend" aria-label="Versions in the chart">
      {versions.map((version, n) => (
        <li key={version}>
          <span class={`swatch series-${n % SERIES_COLOURS}`} aria-hidden="true" />v{version}
        </li>
      ))}
      {releases && (
        <li>
          <span class="swatch marker-swatch" aria-hidden="true" />a release
        </li>
      )}
    </ul>
  );
}
