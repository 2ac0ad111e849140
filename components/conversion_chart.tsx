/**
 * Conversion per version per day as an SVG line chart drawn on the server, with the releases
 * marked on the same time axis (issue 17 §7). Drawn by hand rather than with a chart library:
 * the libraries that fit (uPlot, Chart.js) draw on a canvas in the browser, which would ship
 * JavaScript to a page that needs none and hide the figures from screen readers; a few lines and
 * ticks are some 100 lines of SVG. Colours come from CSS classes (CSP: no inline styles), so the
 * chart follows the light and the dark theme.
 */
import type { VNode } from "preact";

export interface ChartSeries {
  version: number;
  /** Conversion (0–1) per day of `days`; null on a day the version had no visitors. */
  points: (number | null)[];
}

export interface ChartMarker {
  /** Position on the day axis: the day's index plus the fraction of the day elapsed. */
  at: number;
  label: string;
}

export interface ChartProps {
  id: string;
  title: string;
  description: string;
  /** Every day of the range, `YYYY-MM-DD`, oldest first. */
  days: string[];
  series: ChartSeries[];
  markers: ChartMarker[];
}

const WIDTH = 720;
const HEIGHT = 260;
const PAD = { left: 48, right: 16, top: 28, bottom: 28 };
/** Distinct series colours (`.series-N` in the stylesheet); more versions cycle through them. */
export const SERIES_COLOURS = 8;

/** A rounded top for the y axis: 1, 2, 2.5 or 5 × a power of ten, at least 1 %. */
function niceMax(value: number): number {
  const max = Math.max(value, 0.01);
  const power = 10 ** Math.floor(Math.log10(max));
  const step = [1, 2, 2.5, 5, 10].find((m) => m * power >= max)!;
  return step * power;
}

const percent = (value: number) => `${Math.round(value * 1000) / 10} %`;

/** The path of one series: a line through consecutive days, broken where a day has no data. */
function linePath(points: (number | null)[], x: (i: number) => number, y: (v: number) => number) {
  let path = "";
  let pen = false;
  points.forEach((value, i) => {
    if (value === null) {
      pen = false;
      return;
    }
    path += `${pen ? "L" : "M"}${x(i).toFixed(1)} ${y(value).toFixed(1)}`;
    pen = true;
  });
  return path;
}

export function ConversionChart(props: ChartProps): VNode {
  const { days, series, markers } = props;
  const top = niceMax(Math.max(0, ...series.flatMap((s) => s.points.map((p) => p ?? 0))));
  const span = Math.max(days.length - 1, 1);
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (i / span) * innerW;
  const y = (v: number) => PAD.top + innerH - (v / top) * innerH;
  const labelEvery = Math.ceil(days.length / 6);
  const showDots = days.length <= 31;
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-labelledby={`${props.id}-title ${props.id}-desc`}
    >
      <title id={`${props.id}-title`}>{props.title}</title>
      <desc id={`${props.id}-desc`}>{props.description}</desc>
      {[0, 0.25, 0.5, 0.75, 1].map((f) => (
        <g key={f} class="grid">
          <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(top * f)} y2={y(top * f)} />
          <text x={PAD.left - 6} y={y(top * f) + 4} text-anchor="end">{percent(top * f)}</text>
        </g>
      ))}
      {days.map((day, i) =>
        i % labelEvery === 0 || i === days.length - 1
          ? (
            <text key={day} class="axis" x={x(i)} y={HEIGHT - 8} text-anchor="middle">
              {day.slice(5)}
            </text>
          )
          : null
      )}
      {markers.map((marker, i) => (
        <g key={i} class="marker">
          <line x1={x(marker.at)} x2={x(marker.at)} y1={PAD.top - 6} y2={PAD.top + innerH} />
          <text x={x(marker.at)} y={PAD.top - 10} text-anchor="middle">{marker.label}</text>
        </g>
      ))}
      {series.map((s, n) => (
        <g key={s.version} class={`series series-${n % SERIES_COLOURS}`}>
          <path d={linePath(s.points, x, y)} />
          {showDots &&
            s.points.map((value, i) =>
              value === null ? null : <circle key={i} cx={x(i)} cy={y(value)} r="3" />
            )}
        </g>
      ))}
    </svg>
  );
}
