// The list engine's columns as a TanStack Table model: which columns there are, and the sort
// state translated both ways (the sort itself runs in the backend, on indexed columns).
import type { ColumnDef, SortingState } from "@tanstack/react-table";

import type { Column, Row } from "../../api";
import type { SortState } from "../../lib/query";

/** Sensitive values stay masked in the backend, and bytes never show as text: neither is a
 *  column here, unless the table's rows carry each bytes cell's size (`byteSizes`, an explored
 *  table's). */
export function shownColumns(columns: Column[], byteSizes = false): Column[] {
  return columns.filter((c) => (byteSizes || c.kind !== "bytes") && !c.sensitive);
}

export function columnDefs(columns: Column[], byteSizes = false): ColumnDef<Row>[] {
  return shownColumns(columns, byteSizes).map((c) => ({
    id: c.name,
    header: c.name,
    accessorFn: (row) => row[c.name],
    enableSorting: c.sortable,
    // times sort newest first on the first click; names and numbers A→Z, low→high
    sortDescFirst: c.kind === "timestamp",
  }));
}

export function toSorting(sort: SortState | null): SortingState {
  return sort ? [{ id: sort.column, desc: sort.descending }] : [];
}

export function fromSorting(sorting: SortingState): SortState | null {
  const first = sorting[0];
  return first ? { column: first.id, descending: first.desc } : null;
}
