// How wide a column starts, by what it holds, and how wide "fit to content" makes it.
import type { Column } from "../../api";
import { textWidth } from "./measureText";

export const MIN_WIDTH = 40;
export const MAX_WIDTH = 1200;

export function clampWidth(width: number): number {
  return Math.round(Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, width)));
}

/** Name parts that mean long free text. */
const LONG = new Set(["message", "description", "details", "detail", "reason", "error", "stack", "trace", "agent", "url", "uri", "path", "query", "comment", "notes", "note", "value", "summary", "body", "content", "text"]);
/** Name parts that mean a short word from a small set. */
const SHORT = new Set(["type", "role", "status", "kind", "category", "level", "method", "code", "state", "action", "source"]);
const NAMES = new Set(["name", "key", "username", "hostname", "title", "operation"]);

function textColumnWidth(parts: string[]): number {
  if (parts.includes("email")) return 240;
  if (parts.some((p) => LONG.has(p))) return 340;
  if (parts.includes("ip")) return 140;
  if (parts.some((p) => SHORT.has(p))) return 130;
  if (parts.some((p) => NAMES.has(p))) return 200;
  return 180;
}

/** Wide enough for "2026-11-24 10:00:00", the whole time as lib/format shows it in either zone. */
const TIMESTAMP_WIDTH = 165;

export function defaultWidth(column: Column): number {
  const parts = column.name.toLowerCase().split("_");
  const byKind = {
    bool: 70,
    // ids and counts: a few digits
    int: 90,
    timestamp: TIMESTAMP_WIDTH,
    json: 300,
    bytes: 80,
    number: 110,
    // dates, UUIDs, enums… shown as their text
    other: 180,
    text: textColumnWidth(parts),
  }[column.kind];
  // the header's name reads whole, up to a point
  const header = Math.min(220, Math.ceil(column.name.length * 7.5) + 24);
  return clampWidth(Math.max(byKind, header));
}

/** Room beside a header's text for the sort arrow and the resize handle. */
const HEADER_EXTRA = 24;
/** Room beside a cell's text, so a fitted cell is not cut by a rounding. */
const CELL_EXTRA = 6;

/** The width that shows the header and every given cell text whole. */
export function fitWidth(header: string, cells: string[], fonts: { head: string; cell: string }): number {
  let widest = textWidth(header, fonts.head) + HEADER_EXTRA;
  for (const text of cells) widest = Math.max(widest, textWidth(text, fonts.cell) + CELL_EXTRA);
  return clampWidth(Math.ceil(widest));
}
