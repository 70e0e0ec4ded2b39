// How the health report's tables are sorted, and the last vacuum/analyze, manual or automatic,
// whichever is later (sizes are formatted by lib/format).
import type { TableHealth } from "../../api";

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
