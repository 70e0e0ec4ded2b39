// Rows as text for the clipboard, cell by cell as the table shows them (times in the chosen
// zone), of the shown columns only: sensitive and byte columns are never columns here.
import type { Row } from "../../api";
import { formatCell } from "../../lib/format";

/** Text a spreadsheet would run as a formula gets a leading `'`, as the CSV export does. */
function defused(text: string): string {
  return /^[=+\-@\t\r]/.test(text) && Number.isNaN(Number(text)) ? `'${text}` : text;
}

/** One row as tab-separated values, on one line (tabs and line breaks inside become spaces). */
export function rowAsTsv(row: Row, columns: string[]): string {
  return columns.map((c) => defused(formatCell(row[c])).replace(/[\t\r\n]+/g, " ")).join("\t");
}

/** RFC 4180: a field holding a comma, a quote or a line break is quoted, its quotes doubled. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header line of the column names, then a line per row, CRLF-separated. */
export function rowsAsCsv(rows: Row[], columns: string[]): string {
  const lines = [columns.map(csvField).join(",")];
  for (const row of rows) lines.push(columns.map((c) => csvField(defused(formatCell(row[c])))).join(","));
  return lines.join("\r\n") + "\r\n";
}
