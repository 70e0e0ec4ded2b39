// What the explorer's row editor may change and how a typed value becomes the JSON the backend
// binds: pure functions, tested without a window.
import type { ColumnSummary, Row, TableSummary } from "../../api";

type Value = Row[string];

/** Columns the editor offers: not the key, no secrets or masked values, no bytes. */
export function editableColumns(summary: TableSummary): ColumnSummary[] {
  return summary.columns.filter(
    (c) =>
      !summary.primary_key.includes(c.name) &&
      c.kind !== "bytes" &&
      !c.badges.includes("secret") &&
      !c.badges.includes("prefix"),
  );
}

/** Columns listed masked (secrets, values shown by their start) that can be revealed as text. */
export function maskedColumns(summary: TableSummary): ColumnSummary[] {
  return summary.columns.filter((c) => c.kind !== "bytes" && (c.badges.includes("secret") || c.badges.includes("prefix")));
}

/** A value as its input shows it. */
export function toInput(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return JSON.stringify(value, null, 2);
  return String(value);
}

export type Parsed = { ok: true; value: Value } | { ok: false; error: string };

/** An input's text as the column's value: empty is NULL where the column allows it. */
export function parseInput(column: ColumnSummary, text: string): Parsed {
  const trimmed = text.trim();
  if (trimmed === "") {
    if (column.kind === "text" && !column.nullable) return { ok: true, value: "" };
    return column.nullable ? { ok: true, value: null } : { ok: false, error: "may not be empty" };
  }
  switch (column.kind) {
    case "int":
      return /^-?\d+$/.test(trimmed) && Number.isSafeInteger(Number(trimmed))
        ? { ok: true, value: Number(trimmed) }
        : { ok: false, error: "a whole number" };
    case "number":
      // sent as text, so a decimal keeps every digit
      return Number.isFinite(Number(trimmed)) ? { ok: true, value: trimmed } : { ok: false, error: "a number" };
    case "bool":
      if (trimmed === "true" || trimmed === "false") return { ok: true, value: trimmed === "true" };
      return { ok: false, error: "true or false" };
    case "timestamp":
      return Number.isNaN(Date.parse(trimmed))
        ? { ok: false, error: "a time such as 2026-01-31T12:00:00Z" }
        : { ok: true, value: trimmed };
    case "json":
      try {
        return { ok: true, value: JSON.parse(trimmed) as Value };
      } catch (e) {
        return { ok: false, error: `not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
      }
    default:
      return { ok: true, value: text };
  }
}

/** The row's key, for the backend to find it by. */
export function keyOf(summary: TableSummary, row: Row): Row {
  return Object.fromEntries(summary.primary_key.map((k) => [k, row[k]]));
}

/** Columns a new row may set: all but bytes (a secret is typed into a masked box). */
export function insertableColumns(summary: TableSummary): ColumnSummary[] {
  return summary.columns.filter((c) => c.kind !== "bytes");
}

/** What an empty input leaves to the database or the store. */
export function placeholderOf(summary: TableSummary, column: ColumnSummary): string {
  if (column.default) return `default: ${column.default}`;
  if (column.kind === "timestamp" && (column.name === "created_at" || column.name === "updated_at")) return "now";
  if (summary.primary_key.length === 1 && summary.primary_key[0] === column.name && column.kind === "int") return "numbered by the database";
  return column.nullable ? "(null)" : "";
}

/** A new row's values from what was typed: empty inputs left out, each typed value parsed. */
export function newRowValues(
  columns: ColumnSummary[],
  texts: Record<string, string>,
): { values: Row; problems: Record<string, Parsed> } {
  const values: Row = {};
  const problems: Record<string, Parsed> = {};
  for (const c of columns) {
    const text = texts[c.name] ?? "";
    if (text.trim() === "") continue;
    const parsed = parseInput(c, text);
    if (parsed.ok) values[c.name] = parsed.value;
    else problems[c.name] = parsed;
  }
  return { values, problems };
}
