// Any other table, browsable through the list engine.
import type { Table } from "../../api";
import { DataTable } from "../../components/DataTable";
import type { Chip, SortState } from "../../lib/query";

interface Props {
  table: Table;
  chips: Chip[];
  sort: SortState | null;
  onQueryChange: (chips: Chip[], sort: SortState | null) => void;
}

export function TableScreen(props: Props) {
  return <DataTable {...props} />;
}
