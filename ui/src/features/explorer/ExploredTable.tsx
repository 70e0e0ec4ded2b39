// One table of any database in the shared DataTable: a foreign key's cell links to the row it
// references, and a row's drawer lists its children in each table that references this one
// (as links to those rows, filtered: never loaded here). Back returns along the links.
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";

import { api, type Row, type TableSummary } from "../../api";
import { DataTable } from "../../components/DataTable";
import type { ScreenQuery } from "../../lib/query";
import { tableHref } from "./explorer";
import { RemoveExpiredRows } from "./RemoveExpiredRows";
import { RowEditor } from "./RowEditor";
import { keyOf } from "./rowEditing";

interface Props extends ScreenQuery {
  table: string;
}

function cellRenderer(summary: TableSummary | undefined) {
  const refs = new Map<string, [string, string]>();
  for (const fk of summary?.foreign_keys ?? []) {
    fk.columns.forEach((c, i) => refs.set(c, [fk.ref_table, fk.ref_columns[i]]));
  }
  return (column: string, row: Row) => {
    const target = refs.get(column);
    const value = row[column];
    if (!target || value === null || value === undefined) return undefined;
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
  const renderCell = useMemo(() => cellRenderer(summary), [summary]);
  const renderDetail = useMemo(
    () =>
      summary
        ? (row: Row) => (
            <>
              <Children summary={summary} row={row} />
              {!summary.whodis_model && <RowEditor key={JSON.stringify(keyOf(summary, row))} summary={summary} row={row} />}
            </>
          )
        : undefined,
    [summary],
  );
  const expires = summary?.badges.includes("expires") ?? false;
  const toolbar = expires && !summary?.whodis_model ? <RemoveExpiredRows table={props.table} /> : undefined;
  return <DataTable {...props} renderCell={renderCell} renderDetail={renderDetail} toolbar={toolbar} />;
}
