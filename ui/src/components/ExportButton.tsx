// Export the rows the current filters select: the backend asks for the file in a native save
// dialog (.csv or .json) and streams it page by page; progress and Cancel show here.
import { useState } from "react";

import { api, type Column, type Table } from "../api";
import { useToast } from "../app/toasts";
import { formatCount } from "../lib/format";
import { toQuery, type Chip, type SortState } from "../lib/query";
import { ActionButton } from "./ActionButton";

interface Props {
  table: Table;
  chips: Chip[];
  sort: SortState | null;
  columns: Column[];
}

export function ExportButton({ table, chips, sort, columns }: Props) {
  const toast = useToast();
  // "choosing" while the save dialog is open, then the rows written so far
  const [rows, setRows] = useState<number | "choosing" | null>(null);

  async function run() {
    setRows("choosing");
    try {
      const done = await api.exportRows({ table, query: toQuery(chips, sort, columns) }, (p) => setRows(p.rows));
      if (done)
        toast.ok(
          `Exported ${formatCount(done.rows)} rows to ${done.path}` +
            (done.unreadable > 0 ? ` (${formatCount(done.unreadable)} could not be read: only their id)` : ""),
        );
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
