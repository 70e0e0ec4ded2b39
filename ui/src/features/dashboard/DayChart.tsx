// A small bar chart of counts per day (SVG, no chart library): a value axis with a few round
// ticks, day labels under the bars, and each bar's tooltip giving the day and its count.
import type { DayCount } from "../../bindings";
import { formatCount } from "../../lib/format";

const WIDTH = 340;
const HEIGHT = 124;
/** Room for the axis title and the tick numbers at the left, the day labels below. */
const LEFT = 44;
const RIGHT = 4;
const TOP = 6;
const BOTTOM = 18;
const PLOT_W = WIDTH - LEFT - RIGHT;
const PLOT_H = HEIGHT - TOP - BOTTOM;

/** 0 and a few round steps (1, 2 or 5 × 10ⁿ, whole numbers) up to the first at or above `max`. */
export function valueTicks(max: number, wanted = 3): number[] {
  const raw = Math.max(1, max) / wanted;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude);
  const ticks = [0];
  while (ticks[ticks.length - 1] < max || ticks.length < 2) ticks.push(ticks[ticks.length - 1] + step);
  return ticks;
}

/** "22 Nov" for `2026-11-22` (days are UTC days). */
function shortDay(day: string): string {
  const at = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(at.getTime()) ? day : at.toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
}

/** Which days get a label: about five, evenly spaced, always the first and the last. */
function labelledDays(n: number): number[] {
  if (n === 0) return [];
  const every = Math.max(1, Math.ceil(n / 5));
  const out: number[] = [];
  for (let i = 0; i < n; i += every) out.push(i);
  // the last day, unless a label sits too close to it to leave room
  if (out[out.length - 1] !== n - 1) {
    if (n - 1 - out[out.length - 1] < every / 2) out.pop();
    out.push(n - 1);
  }
  return out;
}

export function DayChart({ days }: { days: DayCount[] }) {
  const max = Math.max(0, ...days.map((d) => d.count));
  const ticks = valueTicks(max);
  const top = ticks[ticks.length - 1];
  const bar = PLOT_W / Math.max(1, days.length);
  const total = days.reduce((sum, d) => sum + d.count, 0);
  const y = (v: number) => TOP + PLOT_H - (v / top) * PLOT_H;
  return (
    <figure className="day-chart" data-testid="audit-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`${formatCount(total)} audit events in ${days.length} days`}>
        <g className="axis" data-testid="chart-value-axis">
          <text className="axis-title" transform={`translate(9 ${TOP + PLOT_H / 2}) rotate(-90)`} textAnchor="middle">
            events
          </text>
          {ticks.map((t) => (
            <g key={t}>
              <line className="grid-line" x1={LEFT} x2={WIDTH - RIGHT} y1={y(t)} y2={y(t)} />
              <text className="tick" x={LEFT - 4} y={y(t)} textAnchor="end" dominantBaseline="middle">
                {formatCount(t)}
              </text>
            </g>
          ))}
        </g>
        {days.map((d, i) => {
          const h = Math.round((d.count / top) * PLOT_H);
          return (
            <rect
              key={d.day}
              x={LEFT + i * bar + 1}
              y={TOP + PLOT_H - h}
              width={Math.max(1, bar - 2)}
              height={h}
              data-count={d.count}
              data-tip={`${d.day}: ${formatCount(d.count)}`}
            />
          );
        })}
        <g className="axis" data-testid="chart-day-axis">
          {labelledDays(days.length).map((i) => {
            // the first and last labels line up with the plot's edges instead of running past them
            const [x, anchor]: [number, "start" | "middle" | "end"] =
              days.length === 1
                ? [LEFT + PLOT_W / 2, "middle"]
                : i === 0
                  ? [LEFT, "start"]
                  : i === days.length - 1
                    ? [WIDTH - RIGHT, "end"]
                    : [LEFT + (i + 0.5) * bar, "middle"];
            return (
              <text key={days[i].day} className="tick" x={x} y={HEIGHT - 4} textAnchor={anchor}>
                {shortDay(days[i].day)}
              </text>
            );
          })}
        </g>
      </svg>
      <figcaption className="muted">
        {days[0]?.day} – {days[days.length - 1]?.day} (UTC days) · {formatCount(total)} events · busiest day {formatCount(max)}
      </figcaption>
    </figure>
  );
}
