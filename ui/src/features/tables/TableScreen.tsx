// Any other table, browsable through the list engine.
import type { Table } from "../../api";
import { DataTable } from "../../components/DataTable";
import type { ScreenQuery } from "../../lib/query";

interface Props extends ScreenQuery {
  table: Table;
}

export function TableScreen(props: Props) {
  return <DataTable {...props} />;
}
