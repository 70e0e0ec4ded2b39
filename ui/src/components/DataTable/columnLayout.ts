// A table's column layout as a person left it: widths, hidden columns and order, kept per table
// in the webview's storage. What is read back is checked: anything malformed is dropped, and
// columns the table does not have (any more, or in this database) are ignored.
import type { Column } from "../../api";
import { clampWidth, defaultWidth } from "./columnWidths";

export interface SavedLayout {
  /** Widths set by hand; the others have their default. */
  widths: Record<string, number>;
  hidden: string[];
  /** Every column's place; columns not listed follow in their default order. */
  order: string[];
}

export const NO_LAYOUT: SavedLayout = { widths: {}, hidden: [], order: [] };

const storageKey = (table: string) => `whodis.tableLayout.${table}`;

const names = (value: unknown): string[] =>
  Array.isArray(value) ? [...new Set(value.filter((v): v is string => typeof v === "string"))] : [];

/** Whatever was stored, as a layout: what is not one is left out. */
export function parseLayout(value: unknown): SavedLayout {
  if (typeof value !== "object" || value === null) return NO_LAYOUT;
  const raw = value as Record<string, unknown>;
  const widths: Record<string, number> = {};
  if (typeof raw.widths === "object" && raw.widths !== null) {
    for (const [name, width] of Object.entries(raw.widths)) {
      if (typeof width === "number" && Number.isFinite(width)) widths[name] = clampWidth(width);
    }
  }
  return { widths, hidden: names(raw.hidden), order: names(raw.order) };
}

export function readLayout(table: string): SavedLayout {
  try {
    return parseLayout(JSON.parse(localStorage.getItem(storageKey(table)) ?? "null"));
  } catch {
    return NO_LAYOUT; // not JSON, or storage refused
  }
}

export function writeLayout(table: string, layout: SavedLayout | null) {
  try {
    if (layout) localStorage.setItem(storageKey(table), JSON.stringify(layout));
    else localStorage.removeItem(storageKey(table));
  } catch {
    // storage refused (private mode): the layout lasts while the window is open
  }
}

/** `leading` first, in its order, then the rest in table order. */
export function defaultOrder(columns: Column[], leading: string[] = []): string[] {
  const all = columns.map((c) => c.name);
  const first = leading.filter((name) => all.includes(name));
  return [...first, ...all.filter((name) => !first.includes(name))];
}

export interface Layout {
  /** Every column, in the order set. */
  order: string[];
  /** The columns shown, in order: never none. */
  shown: string[];
  hidden: Set<string>;
  widths: Record<string, number>;
}

/** The layout of these columns: the saved one where it names them, the defaults elsewhere. */
export function resolveLayout(columns: Column[], leading: string[] | undefined, saved: SavedLayout): Layout {
  const base = defaultOrder(columns, leading);
  const known = new Set(base);
  const placed = saved.order.filter((name) => known.has(name));
  const order = [...placed, ...base.filter((name) => !placed.includes(name))];
  let hidden = new Set(saved.hidden.filter((name) => known.has(name)));
  if (hidden.size === known.size) hidden = new Set();
  const widths: Record<string, number> = {};
  for (const c of columns) widths[c.name] = Object.hasOwn(saved.widths, c.name) ? saved.widths[c.name] : defaultWidth(c);
  return { order, shown: order.filter((name) => !hidden.has(name)), hidden, widths };
}
