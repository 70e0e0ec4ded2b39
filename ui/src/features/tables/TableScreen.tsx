// Any other table, browsable through the list engine. Foreign keys (a mapping's job code and
// system role, an assignment's role) show the name they point at and link to that row; the
// drawer links to the rows that point back.
import type { Row, Table } from "../../api";
import { DataTable } from "../../components/DataTable";
import type { ScreenQuery } from "../../lib/query";
import { FOREIGN_KEYS, ReferenceDetail, foreignKeyCell } from "./references";

interface Props extends ScreenQuery {
  table: Table;
}

// one renderer per table for the session, so the table's memoized rows keep skipping renders
const CELLS = new Map<Table, ReturnType<typeof foreignKeyCell>>();
function cellsOf(table: Table) {
  if (!CELLS.has(table)) CELLS.set(table, foreignKeyCell(table));
  return CELLS.get(table);
}

const LINKED: Table[] = ["system_roles", "job_codes", "employee_role_assignments"];
const renderDetail = (table: Table) =>
  FOREIGN_KEYS[table] || LINKED.includes(table) ? (row: Row) => <ReferenceDetail table={table} row={row} /> : undefined;

export function TableScreen(props: Props) {
  return <DataTable {...props} renderCell={cellsOf(props.table)} renderDetail={renderDetail(props.table)} />;
}
