// A small bar chart of counts per day (SVG, no chart library); each bar's tooltip gives the
// day and its count.
import type { DayCount } from "../../bindings";
import { formatCount } from "../../lib/format";

const WIDTH = 300;
const HEIGHT = 80;

export function DayChart({ days }: { days: DayCount[] }) {
  const max = Math.max(1, ...days.map((d) => d.count));
  const bar = WIDTH / Math.max(1, days.length);
  const total = days.reduce((sum, d) => sum + d.count, 0);
  return (
    <figure className="day-chart" data-testid="audit-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`${formatCount(total)} audit events in ${days.length} days`}>
        {days.map((d, i) => {
          const h = Math.round((d.count / max) * (HEIGHT - 2));
          return (
            <rect key={d.day} x={i * bar + 1} y={HEIGHT - h} width={Math.max(1, bar - 2)} height={h} data-count={d.count}>
              <title>{`${d.day}: ${formatCount(d.count)}`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption className="muted">
        {days[0]?.day} – {days[days.length - 1]?.day} · {formatCount(total)} events · busiest day {formatCount(max)}
      </figcaption>
    </figure>
  );
}
