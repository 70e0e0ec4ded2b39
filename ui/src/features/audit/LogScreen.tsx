// The three logs (audit, access attempts, errors) with quick filters on top of the filter chips.
import { useState, type FormEvent } from "react";

import type { Table } from "../../api";
import { DataTable } from "../../components/DataTable";
import type { Chip, SortState } from "../../lib/query";
import { AuditDiff } from "./AuditDiff";
import { hasAppChip, toggleAppChip } from "./appFilter";

interface Props {
  table: Extract<Table, "audit_log" | "access_attempts" | "error_log">;
  chips: Chip[];
  sort: SortState | null;
  onQueryChange: (chips: Chip[], sort: SortState | null) => void;
}

// every log has a free-text `message`
const TEXT_COLUMN = "message";
const LEADING = ["created_at", "event_type", "user_email", "message", "resource", "error_type", "success"];

export function LogScreen({ table, chips, sort, onQueryChange }: Props) {
  const [text, setText] = useState("");
  const textColumn = TEXT_COLUMN;

  function search(e: FormEvent) {
    e.preventDefault();
    const others = chips.filter((c) => !(c.column === textColumn && c.op === "contains"));
    onQueryChange(text.trim() ? [...others, { column: textColumn, op: "contains", value: text.trim() }] : others, sort);
  }

  const toolbar = (
    <>
      <form onSubmit={search} className="search">
        <input
          type="search"
          aria-label={`Search ${textColumn}`}
          placeholder={`Search ${textColumn}…`}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </form>
      {table === "audit_log" && (
        <label className="toggle">
          <input
            type="checkbox"
            data-testid="audit-app-only"
            checked={hasAppChip(chips)}
            onChange={() => onQueryChange(toggleAppChip(chips), sort)}
          />
          Changes made with this app
        </label>
      )}
    </>
  );

  return (
    <DataTable
      table={table}
      chips={chips}
      sort={sort}
      onQueryChange={onQueryChange}
      toolbar={toolbar}
      leading={LEADING}
      renderDetail={table === "audit_log" ? (row) => <AuditDiff additionalData={row.additional_data} /> : undefined}
    />
  );
}
