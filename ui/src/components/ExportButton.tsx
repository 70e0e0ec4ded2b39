// Export the rows the current filters select: a native save dialog picks the file (.csv or
// .json), the backend streams it page by page, and progress and Cancel show here.
import { save } from "@tauri-apps/plugin-dialog";
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

export function exportFormatOf(path: string): "csv" | "json" {
  return path.toLowerCase().endsWith(".json") ? "json" : "csv";
}

export function ExportButton({ table, chips, sort, columns }: Props) {
  const toast = useToast();
  const [rows, setRows] = useState<number | null>(null);

  async function run() {
    const path = await save({
      title: `Export ${table}`,
      defaultPath: `${table}-${new Date().toISOString().slice(0, 10)}.csv`,
      filters: [
        { name: "CSV", extensions: ["csv"] },
        { name: "JSON", extensions: ["json"] },
      ],
    });
    if (!path) return;
    setRows(0);
    try {
      const done = await api.exportRows(
        { table, query: toQuery(chips, sort, columns), format: exportFormatOf(path), path },
        (p) => setRows(p.rows),
      );
      toast.ok(`Exported ${formatCount(done.rows)} rows to ${done.path}`);
    } catch (e) {
      toast.error(e);
    } finally {
      setRows(null);
    }
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
