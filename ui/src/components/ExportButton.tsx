// Export the rows the current filters select: the backend asks for the file in a native save
// dialog (.csv or .json) and streams it page by page; progress and Cancel show here.
import { useState } from "react";

import { api, type Column, type TableName } from "../api";
import { useToast } from "../app/toasts";
import { formatCount } from "../lib/format";
import { toQuery, type Chip, type SortState } from "../lib/query";
import { ianaZone } from "../lib/timeZone";
import { ActionButton } from "./ActionButton";

interface Props {
  table: TableName;
  chips: Chip[];
  sort: SortState | null;
  columns: Column[];
}

/** The format the backend writes for a chosen file: `.json` is JSON, anything else CSV (as
 *  `ExportFormat::of_path`). */
export function exportFormat(path: string): "CSV" | "JSON" {
  return /\.json$/i.test(path) ? "JSON" : "CSV";
}

/** "Exported 1,234 rows as CSV to audit.csv in /home/me". `format` for a file written in one
 *  format whatever its name (the compliance report is CSV). */
export function exportedText(
  done: { path: string; rows: number; unreadable: number },
  { noun = "rows", format = exportFormat(done.path) }: { noun?: string; format?: "CSV" | "JSON" } = {},
): string {
  const cut = Math.max(done.path.lastIndexOf("/"), done.path.lastIndexOf("\\"));
  const [folder, file] = cut < 0 ? ["", done.path] : [done.path.slice(0, cut) || done.path.slice(0, 1), done.path.slice(cut + 1)];
  const count = done.rows === 1 ? `1 ${noun.replace(/s$/, "")}` : `${formatCount(done.rows)} ${noun}`;
  return (
    `Exported ${count} as ${format} to ${file}${folder ? ` in ${folder}` : ""}` +
    (done.unreadable > 0 ? ` (${formatCount(done.unreadable)} could not be read: only their id)` : "")
  );
}

export function ExportButton({ table, chips, sort, columns }: Props) {
  const toast = useToast();
  // "choosing" while the save dialog is open, then the rows written so far
  const [rows, setRows] = useState<number | "choosing" | null>(null);

  async function run() {
    setRows("choosing");
    try {
      // the file's times are in the zone the screen shows them in, named in its header
      const selection = { table, query: toQuery(chips, sort, columns), time_zone: ianaZone() };
      const done = await api.exportRows(selection, (p) => setRows(p.rows));
      if (done) toast.ok(exportedText(done));
    } catch (e) {
      toast.error(e);
    } finally {
      setRows(null);
    }
  }

  if (rows === "choosing") {
    return (
      <span className="export-progress" role="status">
        Choose where to save the export…
      </span>
    );
  }
  if (rows !== null) {
    return (
      <span className="export-progress" role="status" data-testid="export-progress">
        Exporting… {formatCount(rows)} rows <button onClick={() => void api.exportCancel()}>Cancel</button>
      </span>
    );
  }
  return (
    <ActionButton permission="export" onClick={() => void run()} title="Export these rows to CSV or JSON" data-testid="export">
      Export…
    </ActionButton>
  );
}
