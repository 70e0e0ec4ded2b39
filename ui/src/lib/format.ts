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

const BYTE_UNITS = ["KiB", "MiB", "GiB", "TiB"];

/** `512 B`, `1.5 KiB`, `12 MiB` (binary units; one decimal under 10, none above). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = value < 10 ? value.toFixed(1).replace(/\.0$/, "") : Math.round(value).toString();
  // 1023.96 KiB rounds to "1024 KiB": say 1 MiB instead
  if (shown === "1024" && unit < BYTE_UNITS.length - 1) return `1 ${BYTE_UNITS[unit + 1]}`;
  return `${shown} ${BYTE_UNITS[unit]}`;
}

/** The tooltip: every byte, counted. */
export function exactBytes(bytes: number): string {
  return `${formatCount(bytes)} bytes`;
}
