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
const PAD = { left: 48, right: 24, top: 52, bottom: 28 };
/** Rows of release labels above the plot: releases close together stack instead of overlapping. */
const LABEL_ROWS = 3;
const LABEL_GAP = 56;
/** Distinct series colours (`.series-N` in the stylesheet); more versions cycle through them. */
export const SERIES_COLOURS = 8;

/** A round step for about four grid lines up to `value`: 1, 2 or 5 × a power of ten. */
function niceStep(value: number): number {
  const rough = Math.max(value, 0.004) / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 5, 10].find((m) => m * power >= rough)! * power;
}

/** A grid label: as many decimals as the step needs (0.5 % steps need one, 0.02 % two). */
const percent = (value: number, step: number) =>
  `${(value * 100).toFixed(Math.max(0, -Math.floor(Math.log10(step * 100 + 1e-12))))} %`;

/** The path of one series: a line through consecutive days, broken where a day has no data. */
function linePath(points: (number | null)[], x: (i: number) => number, y: (v: number) => number) {
  let path = "";
  let pen = false;
  points.forEach((value, i) => {
    if (value === null) {
      pen = false;
      return;
    }
    path += `${pen ? "L" : "M"}${x(i + 0.5).toFixed(1)} ${y(value).toFixed(1)}`;
    pen = true;
  });
  return path;
}

/** Labels near an edge grow inwards, so none is cut off. */
const anchor = (at: number) =>
  at > WIDTH - PAD.right - 40 ? "end" : at < PAD.left + 40 ? "start" : "middle";

/** Each marker's label row: the lowest row whose last label is far enough to its left. */
function labelRows(xs: number[]): number[] {
  const lastX = Array<number>(LABEL_ROWS).fill(-Infinity);
  return xs.map((x) => {
    const free = lastX.findIndex((at) => x - at >= LABEL_GAP);
    const row = free === -1 ? LABEL_ROWS - 1 : free;
    lastX[row] = x;
    return row;
  });
}

export function ConversionChart(props: ChartProps): VNode {
  const { days, series, markers } = props;
  const highest = Math.max(0, ...series.flatMap((s) => s.points.map((p) => p ?? 0)));
  const step = niceStep(highest);
  const ticks = Array.from(
    { length: Math.max(1, Math.ceil(highest / step - 1e-9)) + 1 },
    (_, i) => i * step,
  );
  const top = ticks[ticks.length - 1];
  // The axis runs from the first day's start to the last day's end; a day's point sits at its
  // noon, so a release at 09:00 is drawn before that day's point and after the day before's.
  const span = Math.max(days.length, 1);
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const x = (at: number) => PAD.left + (at / span) * innerW;
  const mid = (i: number) => x(i + 0.5);
  const y = (v: number) => PAD.top + innerH - (v / top) * innerH;
  const labelEvery = Math.ceil(days.length / 6);
  const showDots = days.length <= 31;
  const rows = labelRows(markers.map((m) => x(m.at)));
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-labelledby={`${props.id}-title ${props.id}-desc`}
    >
      <title id={`${props.id}-title`}>{props.title}</title>
      <desc id={`${props.id}-desc`}>{props.description}</desc>
      {ticks.map((tick) => (
        <g key={tick} class="grid">
          <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} />
          <text x={PAD.left - 6} y={y(tick) + 4} text-anchor="end">{percent(tick, step)}</text>
        </g>
      ))}
      {days.map((day, i) =>
        i % labelEvery === 0 || i === days.length - 1
          ? (
            <text key={day} class="axis" x={mid(i)} y={HEIGHT - 8} text-anchor="middle">
              {day.slice(5)}
            </text>
          )
          : null
      )}
      {markers.map((marker, i) => (
        <g key={i} class="marker">
          <line
            x1={x(marker.at)}
            x2={x(marker.at)}
            y1={PAD.top - 10 - rows[i] * 13}
            y2={PAD.top + innerH}
          />
          <text x={x(marker.at)} y={PAD.top - 14 - rows[i] * 13} text-anchor={anchor(x(marker.at))}>
            {marker.label}
          </text>
        </g>
      ))}
      {series.map((s, n) => (
        <g key={s.version} class={`series series-${n % SERIES_COLOURS}`}>
          <path d={linePath(s.points, x, y)} />
          {showDots &&
            s.points.map((value, i) =>
              value === null ? null : <circle key={i} cx={mid(i)} cy={y(value)} r="3" />
            )}
        </g>
      ))}
    </svg>
  );
}
