// A log (audit, access attempts, errors) on the list engine, with quick filters above the chips;
// it follows new rows while scrolled to its top.
import type { ReactNode } from "react";

import type { Row, Table } from "../../api";
import { DataTable } from "../../components/DataTable";
import type { ScreenQuery } from "../../lib/query";
import { QuickFilters } from "./QuickFilters";
import type { QuickFilter } from "./quickFilters";

export type LogScreenProps = ScreenQuery;

interface Props extends LogScreenProps {
  table: Extract<Table, "audit_log" | "access_attempts" | "error_log">;
  quick: QuickFilter[];
  /** Columns to show first. */
  leading: string[];
  /** More toolbar controls after the quick filters. */
  extra?: ReactNode;
  renderDetail?: (row: Row) => ReactNode;
}

export function LogTable({ table, quick, leading, extra, renderDetail, chips, sort, onQueryChange }: Props) {
  const toolbar = (
    <>
      <QuickFilters filters={quick} chips={chips} onChange={(next) => onQueryChange(next, sort)} />
      {extra}
    </>
  );
  return (
    <DataTable
      table={table}
      chips={chips}
      sort={sort}
      onQueryChange={onQueryChange}
      toolbar={toolbar}
      leading={leading}
      renderDetail={renderDetail}
      follow
    />
  );
}
