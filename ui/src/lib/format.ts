// One place for how numbers, totals, times and cell values are shown.
import type { Page, Value } from "../api";
import { formatInstant } from "./timeZone";

const integer = new Intl.NumberFormat("en-US");
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

export function formatCount(n: number): string {
  return integer.format(n);
}

/** "1,234 rows", "≈ 1.2M rows" (planner estimate) or "≥ 10,000 rows" (counting stopped). */
export function formatTotal(total: NonNullable<Page["total"]>): string {
  const noun = total.value === 1 ? "row" : "rows";
  switch (total.kind) {
    case "exact":
      return `${integer.format(total.value)} ${noun}`;
    case "estimate":
      return `≈ ${compact.format(total.value)} ${noun}`;
    case "at_least":
      return `≥ ${integer.format(total.value)} ${noun}`;
  }
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/;

/** A short, single-line rendering of a cell (times in the chosen zone); the detail drawer shows the full value. */
export function formatCell(value: Value | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return TIMESTAMP.test(value) ? formatInstant(value) : value;
  return JSON.stringify(value);
}
