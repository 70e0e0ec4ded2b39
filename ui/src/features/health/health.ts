// How the health report's figures are shown and sorted: sizes in KiB/MiB/GiB (exact bytes on
// hover), rows, and the last vacuum/analyze, manual or automatic, whichever is later.
import type { TableHealth } from "../../api";
import { formatCount } from "../../lib/format";

const UNITS = ["KiB", "MiB", "GiB", "TiB"];

/** `512 B`, `1.5 KiB`, `12 MiB` (binary units; one decimal under 10, none above). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = value < 10 ? value.toFixed(1).replace(/\.0$/, "") : Math.round(value).toString();
  // 1023.96 KiB rounds to "1024 KiB": say 1 MiB instead
  if (shown === "1024" && unit < UNITS.length - 1) return `1 ${UNITS[unit + 1]}`;
  return `${shown} ${UNITS[unit]}`;
}

/** The tooltip: every byte, counted. */
export function exactBytes(bytes: number): string {
  return `${formatCount(bytes)} bytes`;
}

/** The later of a manual and an automatic run, and which it was. */
export function lastRun(
  manual: string | null,
  auto: string | null,
): { at: string; auto: boolean } | null {
  if (!manual && !auto) return null;
  if (!manual) return { at: auto!, auto: true };
  if (!auto) return { at: manual, auto: false };
  return Date.parse(auto) > Date.parse(manual) ? { at: auto, auto: true } : { at: manual, auto: false };
}

export type HealthColumn = "name" | "table_bytes" | "index_bytes" | "total_bytes" | "live_rows" | "dead_rows";

function sortValue(t: TableHealth, column: HealthColumn): number | string | null {
  switch (column) {
    case "name":
      return t.name;
    case "total_bytes":
      return t.table_bytes === null ? null : t.table_bytes + (t.index_bytes ?? 0);
    default:
      return t[column];
  }
}

/** The tables sorted by a column; figures that are unavailable go last either way. */
export function sortTables(tables: TableHealth[], column: HealthColumn, descending: boolean): TableHealth[] {
  const sign = descending ? -1 : 1;
  return [...tables].sort((a, b) => {
    const x = sortValue(a, column);
    const y = sortValue(b, column);
    if (x === null || y === null) {
      if (x === y) return a.name.localeCompare(b.name);
      return x === null ? 1 : -1;
    }
    const order = typeof x === "string" ? x.localeCompare(y as string) : x - (y as number);
    return order === 0 ? a.name.localeCompare(b.name) : sign * order;
  });
}
