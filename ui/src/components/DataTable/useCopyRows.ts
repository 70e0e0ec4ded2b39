// Copying rows to the clipboard, with a toast saying what was copied (or why not).
import type { Row } from "../../api";
import { useToast } from "../../app/toasts";
import { formatCount } from "../../lib/format";
import { rowAsTsv, rowsAsCsv } from "./copyRows";

export function useCopyRows(columns: string[]) {
  const toast = useToast();
  const write = (text: string, done: string) =>
    // inside the promise, so a webview without the clipboard API is a toast, not a crash
    Promise.resolve()
      .then(() => navigator.clipboard.writeText(text))
      .then(() => toast.ok(done), toast.error);
  return {
    /** The row as tab-separated values of the shown columns, pasted as one spreadsheet row. */
    row: (row: Row) => write(rowAsTsv(row, columns), "Copied the row"),
    /** Rows as CSV with a header line. */
    rows: (rows: Row[]) => write(rowsAsCsv(rows, columns), `Copied ${formatCount(rows.length)} ${rows.length === 1 ? "row" : "rows"} as CSV`),
  };
}
