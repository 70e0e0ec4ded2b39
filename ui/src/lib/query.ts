// Filter chips as the user builds them, and their translation into the list engine's query.
import type { Filter } from "../bindings";
import type { Column, ListQuery, Value } from "../api";
import { currentZone, dayStart } from "./timeZone";

export const OPS = ["eq", "ne", "contains", "gt", "gte", "lt", "lte", "is_null", "not_null"] as const;
export type Op = (typeof OPS)[number];

export const OP_LABELS: Record<Op, string> = {
  eq: "=",
  ne: "≠",
  contains: "contains",
  gt: ">",
  gte: "≥",
  lt: "<",
  lte: "≤",
  is_null: "is empty",
  not_null: "is set",
};

export interface Chip {
  column: string;
  op: Op;
  /** As typed; converted to the column's kind by `toQuery`. */
  value: string;
}

export interface SortState {
  column: string;
  descending: boolean;
}

/** What a list screen gets from the route: its filter chips and sort, and how to change them. */
export interface ScreenQuery {
  chips: Chip[];
  sort: SortState | null;
  onQueryChange: (chips: Chip[], sort: SortState | null) => void;
}

export function isOp(s: string): s is Op {
  return (OPS as readonly string[]).includes(s);
}

export function takesValue(op: Op): boolean {
  return op !== "is_null" && op !== "not_null";
}

/** The typed value for a column: numbers for int columns, booleans for bool columns. */
export function typedValue(raw: string, column: Column | undefined): Value {
  switch (column?.kind) {
    case "int": {
      const n = Number(raw.trim());
      return Number.isFinite(n) && raw.trim() !== "" ? n : raw;
    }
    case "bool":
      return /^(true|yes|1)$/i.test(raw.trim());
    default:
      return raw;
  }
}

/** The quick search rides along as a chip on this pseudo-column, so the route, the count,
 *  the export and the chip row carry it like any filter (the backend searches every shown
 *  text column; masked ones never). */
export const SEARCH_COLUMN = "*";

/** The quick search's text, or "" when there is none. */
export function searchOf(chips: Chip[]): string {
  return chips.find((c) => c.column === SEARCH_COLUMN)?.value ?? "";
}

/** The chips with the quick search set to `text` (removed when blank). */
export function withSearch(chips: Chip[], text: string): Chip[] {
  const rest = chips.filter((c) => c.column !== SEARCH_COLUMN);
  return text.trim() ? [...rest, { column: SEARCH_COLUMN, op: "contains", value: text }] : rest;
}

/** The N of computed "active within N days" columns (the users' `active`) rides along as a
 *  chip on this pseudo-column, as the search does; without it the backend takes 30 days. */
export const WITHIN_DAYS_COLUMN = "~within_days";

/** Chips that are query parameters rather than filters on a column. */
export function isParamChip(chip: Chip): boolean {
  return chip.column === SEARCH_COLUMN || chip.column === WITHIN_DAYS_COLUMN;
}

/** Builds the `list_rows` query; the backend validates columns and values again. */
export function toQuery(
  chips: Chip[],
  sort: SortState | null,
  columns: Column[],
  cursor: string | null = null,
  limit = 100,
): ListQuery {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const filters = chips.filter((c) => !isParamChip(c)).map((chip) => toFilter(chip, byName.get(chip.column)));
  const search = searchOf(chips).trim();
  const days = chipValue(chips, WITHIN_DAYS_COLUMN, "eq").trim();
  // the screen's box lets only whole numbers through; the backend judges the range
  const within_days = /^-?\d+$/.test(days) ? Number(days) : null;
  return { filters, sort, limit, cursor, ...(search ? { search } : {}), ...(within_days !== null ? { within_days } : {}) };
}

function toFilter({ column, op, value }: Chip, kind: Column | undefined): Filter {
  switch (op) {
    case "is_null":
    case "not_null":
      return { column, op };
    case "contains":
      return { column, op, value };
    default:
      return (kind?.kind === "timestamp" && dayFilter(column, op, value)) || { column, op, value: typedValue(value, kind) };
  }
}

/** A bare day on a time column means that whole day in the chosen zone: "≤ 24 Nov" includes
 *  the 24th, "> 24 Nov" starts on the 25th. */
function dayFilter(column: string, op: Op, day: string): Filter | null {
  const start = dayStart(day);
  const next = dayStart(day, currentZone(), true);
  if (!start || !next) return null;
  switch (op) {
    case "gte":
      return { column, op: "gte", value: start };
    case "gt":
      return { column, op: "gte", value: next };
    case "lt":
      return { column, op: "lt", value: start };
    case "lte":
      return { column, op: "lt", value: next };
    default:
      return null;
  }
}

/** The value of the chip for `column` and `op`, or "" when there is none. Quick filters and
 * toggles own one such chip each, alongside any chips built by hand. */
export function chipValue(chips: Chip[], column: string, op: Op): string {
  return chips.find((c) => c.column === column && c.op === op)?.value ?? "";
}

/** The chips with the `column`/`op` chip set to `value` (where it was, or appended), or removed
 * when `value` is null. */
export function withChip(chips: Chip[], column: string, op: Op, value: string | null): Chip[] {
  const owns = (c: Chip) => c.column === column && c.op === op;
  const at = chips.findIndex(owns);
  const others = chips.filter((c) => !owns(c));
  if (value === null) return others;
  const chip = { column, op, value };
  return at < 0 ? [...others, chip] : [...others.slice(0, at), chip, ...others.slice(at)];
}
