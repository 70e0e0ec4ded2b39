// Saved views, the pure half: the table's current filters, sort, column layout and page size
// as a view to save, and a saved view applied onto the columns the table has now (columns gone
// since, or absent from this database, are ignored: their filters, their sort, their place).
// The views themselves live in the app's config folder (src-tauri/src/views.rs), per table and
// shared by every connection.
import type { Column, View, ViewList } from "../../api";
import { isOp, isParamChip, type Chip, type SortState } from "../../lib/query";
import { clampWidth } from "./columnWidths";
import type { Layout, SavedLayout } from "./columnLayout";

/** Rows asked per page until a view says otherwise (the list engine's most is 500). */
export const DEFAULT_PAGE_SIZE = 100;
export const PAGE_SIZES = [50, 100, 200, 500] as const;
export const MAX_NAME_CHARS = 60;

export const NO_VIEWS: ViewList = { views: [], default: null, warnings: [] };

/** The current state of a table as a view named `name`. */
export function viewOf(name: string, chips: Chip[], sort: SortState | null, layout: Layout, pageSize: number): View {
  return {
    name: name.trim(),
    chips: chips.map(({ column, op, value }) => ({ column, op, value })),
    sort: sort ? { column: sort.column, descending: sort.descending } : null,
    columns: layout.order.map((name) => ({
      name,
      width: clampWidth(layout.widths[name] ?? 0),
      hidden: layout.hidden.has(name),
    })),
    page_size: pageSize,
  };
}

export interface AppliedView {
  chips: Chip[];
  sort: SortState | null;
  layout: SavedLayout;
  pageSize: number;
}

/**
 * What a view sets on a table whose filterable columns are `own` and whose laid-out columns
 * (own and derived) are `laidOut`: filters and sort on columns it no longer has are left out,
 * and so are the layout's.
 */
export function applyView(view: View, own: Column[], laidOut: string[]): AppliedView {
  const byName = new Map(own.map((c) => [c.name, c]));
  const chips: Chip[] = view.chips.flatMap(({ column, op, value }) =>
    isOp(op) && (isParamChip({ column, op, value }) || byName.has(column)) ? [{ column, op, value }] : [],
  );
  const sortable = view.sort && byName.get(view.sort.column)?.sortable;
  const sort = sortable && view.sort ? { column: view.sort.column, descending: view.sort.descending } : null;
  const present = new Set(laidOut);
  const columns = view.columns.filter((c) => present.has(c.name));
  const layout: SavedLayout = {
    widths: Object.fromEntries(columns.map((c) => [c.name, clampWidth(c.width)])),
    // a view that would hide every column the table has left shows them all (resolveLayout)
    hidden: columns.filter((c) => c.hidden).map((c) => c.name),
    order: columns.map((c) => c.name),
  };
  return { chips, sort, layout, pageSize: pageSizeOf(view) };
}

/** The view's page size, within what the list engine takes. */
export function pageSizeOf(view: View): number {
  const n = view.page_size;
  return Number.isInteger(n) && n >= 25 && n <= 500 ? n : DEFAULT_PAGE_SIZE;
}

export type NameCheck = { ok: true; name: string; replaces: boolean } | { ok: false; error: string };

/** A name as typed for "Save current view…": trimmed, bounded, and whether it replaces one. */
export function checkViewName(typed: string, views: View[]): NameCheck {
  const name = typed.trim();
  if (!name) return { ok: false, error: "Give the view a name." };
  if ([...name].length > MAX_NAME_CHARS) return { ok: false, error: `At most ${MAX_NAME_CHARS} characters.` };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return { ok: false, error: "No control characters." };
  return { ok: true, name, replaces: views.some((v) => v.name === name) };
}

/** Whether the table shows what `view` sets on it (its filters and sort, those it keeps on the
 *  columns `own`; the layout is not compared). */
export function showsView(view: View, own: Column[], chips: Chip[], sort: SortState | null): boolean {
  const applied = applyView(view, own, []);
  const same = (a: Chip[], b: Chip[]) =>
    a.length === b.length && a.every((c, i) => c.column === b[i].column && c.op === b[i].op && c.value === b[i].value);
  const sortSame =
    (sort === null && applied.sort === null) ||
    (sort !== null && applied.sort !== null && sort.column === applied.sort.column && sort.descending === applied.sort.descending);
  return same(chips, applied.chips) && sortSame;
}
