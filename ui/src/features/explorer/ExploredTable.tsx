// One table of any database in the shared DataTable: a foreign key's cell links to the row it
// references, and a row's drawer lists its children in each table that references this one
// (as links to those rows, filtered: never loaded here). Back returns along the links. The
// seeds' conventions act here: a user-tracking value (user_email, ip_address, session_id,
// user_agent) filters the table by it, `is_active` gets an "Active only" toggle, `expires_at`
// a "Remove expired…", a bytes cell shows its size (its image and first bytes in the drawer),
// and the drawer edits the row.
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";

import { api, type Row, type TableSummary } from "../../api";
import { DataTable } from "../../components/DataTable";
import { exactBytes, formatBytes } from "../../lib/format";
import { BytesCells } from "./BytesCells";
import type { ScreenQuery } from "../../lib/query";
import { tableHref } from "./explorer";
import { NewRow } from "./NewRow";
import { RemoveExpiredRows } from "./RemoveExpiredRows";
import { RowEditor } from "./RowEditor";
import { keyOf } from "./rowEditing";

interface Props extends ScreenQuery {
  table: string;
}

/** Adds an `=` chip for a value (a tracking column's quick filter), unless it is there. */
type AddChip = (column: string, value: string) => void;

function cellRenderer(summary: TableSummary | undefined, addChip: AddChip) {
  const refs = new Map<string, [string, string]>();
  for (const fk of summary?.foreign_keys ?? []) {
    fk.columns.forEach((c, i) => refs.set(c, [fk.ref_table, fk.ref_columns[i]]));
  }
  const tracking = new Set(summary?.columns.filter((c) => c.badges.includes("tracking")).map((c) => c.name));
  const bytes = new Set(summary?.columns.filter((c) => c.kind === "bytes").map((c) => c.name));
  return (column: string, row: Row) => {
    const target = refs.get(column);
    const value = row[column];
    if (value === null || value === undefined) return undefined;
    if (bytes.has(column) && typeof value === "number") {
      return <span title={exactBytes(value)}>{formatBytes(value)}</span>;
    }
    if (tracking.has(column) && !target) {
      return (
        <button
          type="button"
          className="link-button"
          title={`Show only rows where ${column} = ${String(value)}`}
          onClick={(e) => {
            e.stopPropagation();
            addChip(column, String(value));
          }}
        >
          {String(value)}
        </button>
      );
    }
    if (!target) return undefined;
    return (
      <a href={tableHref(target[0], target[1], value)} title={`Open ${target[0]} where ${target[1]} = ${String(value)}`}>
        {String(value)} →
      </a>
    );
  };
}

function Children({ summary, row }: { summary: TableSummary; row: Row }) {
  if (!summary.referenced_by.length) return null;
  return (
    <div className="explorer-children" data-testid="explorer-children">
      <h3>Rows that point here</h3>
      <ul>
        {summary.referenced_by.map((fk) => {
          const key = fk.ref_columns[0];
          const value = row[key];
          return (
            <li key={`${fk.table}-${fk.columns.join()}`}>
              <a href={tableHref(fk.table, fk.columns[0], value)}>
                {fk.table} where {fk.columns[0]} = {String(value)}
              </a>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

export function ExploredTable(props: Props) {
  const tables = useQuery({ queryKey: ["explore", "tables"], queryFn: api.exploreTables });
  const summary = tables.data?.find((t) => t.name === props.table);
  const { chips, sort, onQueryChange } = props;
  const renderCell = useMemo(() => {
    const addChip: AddChip = (column, value) => {
      if (chips.some((c) => c.column === column && c.op === "eq" && c.value === value)) return;
      onQueryChange([...chips, { column, op: "eq", value }], sort);
    };
    return cellRenderer(summary, addChip);
  }, [summary, chips, sort, onQueryChange]);
  const renderDetail = useMemo(
    () =>
      summary
        ? (row: Row) => (
            <>
              <Children summary={summary} row={row} />
              <BytesCells summary={summary} row={row} />
              {!summary.whodis_model && <RowEditor key={JSON.stringify(keyOf(summary, row))} summary={summary} row={row} />}
            </>
          )
        : undefined,
    [summary],
  );
  const expires = (summary?.badges.includes("expires") ?? false) && !summary?.whodis_model;
  const active = summary?.columns.some((c) => c.name === "is_active" && c.badges.includes("active")) ?? false;
  const activeOnly = chips.some((c) => c.column === "is_active" && c.op === "eq");
  const toolbar = (
    <>
      {active && (
        <button
          type="button"
          aria-pressed={activeOnly}
          onClick={() =>
            onQueryChange(
              activeOnly ? chips.filter((c) => c.column !== "is_active") : [...chips, { column: "is_active", op: "eq", value: "true" }],
              sort,
            )
          }
          data-testid="active-only"
        >
          Active only
        </button>
      )}
      {summary && !summary.whodis_model && summary.primary_key.length > 0 && <NewRow summary={summary} />}
      {expires && <RemoveExpiredRows table={props.table} />}
    </>
  );
  // a WhoDis table keeps its model, whose lists leave bytes out; any other table's carry sizes
  const byteSizes = summary !== undefined && !summary.whodis_model;
  return (
    <DataTable
      {...props}
      renderCell={renderCell}
      renderField={renderCell}
      renderDetail={renderDetail}
      toolbar={toolbar}
      byteSizes={byteSizes}
    />
  );
}
