// Any table through the list engine: keyset pages fetched ahead of the viewport and let go far
// behind it (`usePagedRows`), virtualized rows of a fixed height (no layout jump), sortable
// indexed columns, typed filter chips, keyboard selection (↑/↓, Enter opens, Esc closes) and a
// detail drawer.
import { useQuery } from "@tanstack/react-query";
import { flexRender, getCoreRowModel, useReactTable, type SortingState, type Updater } from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from "react";

import { api, type Row, type Table } from "../../api";
import { errorText } from "../../app/toasts";
import { formatTotal } from "../../lib/format";
import { toQuery, type ScreenQuery } from "../../lib/query";
import { useZone } from "../../lib/timeZone";
import { Drawer } from "../Drawer";
import { ExportButton } from "../ExportButton";
import { columnDefs, columnOrder, fromSorting, shownColumns, toSorting } from "./columns";
import { FilterBar } from "./FilterBar";
import { GridRow, ROW_HEIGHT } from "./GridRow";
import { usePagedRows } from "./usePagedRows";

const MIN_COLUMN = 110;
const NO_ROWS: Row[] = [];
const ACTIONS_WIDTH = 90;

export interface DataTableProps extends ScreenQuery {
  table: Table;
  /** Replaces the default rendering of a cell (editors, badges). */
  renderCell?: (column: string, row: Row) => ReactNode | undefined;
  /** Extra columns at the end (row actions). */
  actions?: (row: Row) => ReactNode;
  /** Width of the actions column, in pixels (fixed, so header and rows align). */
  actionsWidth?: number;
  /** Columns to show first, in this order (the rest follow in table order). */
  leading?: string[];
  /** Shown in the drawer above the fields. */
  renderDetail?: (row: Row) => ReactNode;
  toolbar?: ReactNode;
  /** A log: new rows show as they are written while the table is scrolled to its top. */
  follow?: boolean;
}

export function DataTable(props: DataTableProps) {
  const { table, chips, sort, onQueryChange, renderCell, actions, renderDetail, toolbar, leading } = props;
  const actionsWidth = props.actionsWidth ?? ACTIONS_WIDTH;
  const zone = useZone();
  const columnsQuery = useQuery({ queryKey: ["columns", table], queryFn: () => api.columns(table) });
  const columns = useMemo(() => shownColumns(columnsQuery.data ?? []), [columnsQuery.data]);
  const [visible, setVisible] = useState({ first: 0, last: 0 });
  // a log follows new rows while it is at its top; scrolled down, its rows stay where they are
  const [atTop, setAtTop] = useState(true);
  const following = Boolean(props.follow) && atTop;
  const paged = usePagedRows(table, chips, sort, columnsQuery.data, visible, following);
  // keyed by the filters only (a new sort does not count again), under "rows" so that what
  // refreshes a table's rows after a change refreshes its total too
  const totalQuery = useQuery({
    queryKey: ["rows", table, chips, "total"],
    enabled: columnsQuery.isSuccess,
    queryFn: () => api.countRows(table, toQuery(chips, null, columnsQuery.data ?? [])),
  });
  const total = totalQuery.data;

  // TanStack Table holds the column model (order, sort toggles); sorting itself is the backend's
  const defs = useMemo(() => columnDefs(columnsQuery.data ?? []), [columnsQuery.data]);
  const order = useMemo(() => columnOrder(columns, leading), [columns, leading]);
  const sorting = useMemo(() => toSorting(sort), [sort]);
  const onSortingChange = (updater: Updater<SortingState>) =>
    onQueryChange(chips, fromSorting(typeof updater === "function" ? updater(sorting) : updater));
  const model = useReactTable({
    // the model orders the columns and toggles the sort; the rows are the pages' own
    data: NO_ROWS,
    columns: defs,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    enableMultiSort: false,
    enableSortingRemoval: false,
    sortDescFirst: false,
    state: { sorting, columnOrder: order },
    onSortingChange,
  });
  const headers = model.getHeaderGroups()[0]?.headers ?? [];
  const layout = headers.map((h) => h.id).join(",");
  const columnIds = useMemo(() => (layout ? layout.split(",") : []), [layout]);

  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: paged.count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // rows render before the first measurement (and in tests, which have no layout)
    initialRect: { width: 1000, height: 600 },
  });
  const items = virtualizer.getVirtualItems();
  const firstIndex = items.length ? items[0].index : 0;
  const lastIndex = items.length ? items[items.length - 1].index : 0;
  useEffect(() => setVisible({ first: firstIndex, last: lastIndex }), [firstIndex, lastIndex]);
  const top = (virtualizer.scrollOffset ?? 0) < ROW_HEIGHT;
  useEffect(() => setAtTop(top), [top]);

  // the selection is a row, not a position: rows that come or go above it (a refresh, a
  // followed log) do not move it to another row
  const [selection, setSelection] = useState<{ index: number; id: unknown } | null>(null);
  const [open, setOpen] = useState<Row | null>(null);
  useEffect(() => {
    setSelection(null);
    setOpen(null);
  }, [table, chips, sort]);
  const selected = !selection
    ? -1
    : paged.row(selection.index)?.id === selection.id
      ? selection.index
      : (paged.indexOf(selection.id) ?? selection.index);

  // stable, so rows that did not change skip rendering while the table scrolls
  const pick = useCallback((index: number, row: Row, openDetail: boolean) => {
    setSelection({ index, id: row.id });
    if (openDetail) setOpen(row);
  }, []);

  function onKeyDown(e: KeyboardEvent) {
    const move = e.key === "ArrowDown" ? 1 : e.key === "ArrowUp" ? -1 : 0;
    if (move) {
      e.preventDefault();
      const next = Math.max(0, Math.min(paged.count - 1, selected + move));
      const row = paged.row(next);
      setSelection({ index: next, id: row?.id });
      // an open drawer follows the selection
      if (open && row) setOpen(row);
      virtualizer.scrollToIndex(next);
    } else if (e.key === "Enter") {
      const row = paged.row(selected);
      if (row) setOpen(row);
    }
  }

  // a fixed actions column keeps the header's columns aligned with the rows'
  const template = `repeat(${columns.length}, minmax(${MIN_COLUMN}px, 1fr))${actions ? ` ${actionsWidth}px` : ""}`;
  // wide tables scroll sideways inside the table instead of stretching the window
  const minWidth = columns.length * (MIN_COLUMN + 8) + (actions ? actionsWidth + 8 : 0);
  const error = columnsQuery.error ?? paged.error;

  return (
    <section className="data-table" data-testid={`table-${table}`}>
      <div className="table-toolbar">
        {toolbar}
        <ExportButton table={table} chips={chips} sort={sort} columns={columnsQuery.data ?? []} />
        {props.follow && (
          <span className="muted follow" data-testid="follow-state" title="New rows show while the table is at its top">
            {following ? "● live" : "paused (scrolled)"}
          </span>
        )}
        <span className="total" data-testid="total">
          {total ? formatTotal(total) : ""}
        </span>
      </div>
      <FilterBar columns={columns} chips={chips} onChange={(next) => onQueryChange(next, sort)} />
      {error ? (
        <p className="state state-error" role="alert">
          {errorText(error)}
        </p>
      ) : paged.pending ? (
        <p className="state">Loading…</p>
      ) : paged.count === 0 ? (
        <p className="state" data-testid="empty">
          {chips.length ? "No rows match these filters." : "This table is empty."}
        </p>
      ) : (
        <div className="grid-body" ref={scroller} tabIndex={0} onKeyDown={onKeyDown} role="grid">
          {/* the header scrolls sideways with the rows and sticks to the top */}
          <div className="grid-head" style={{ gridTemplateColumns: template, minWidth }} role="row">
            {headers.map((h) => {
              const sortable = h.column.getCanSort();
              const sorted = h.column.getIsSorted();
              return (
                <button
                  key={h.id}
                  role="columnheader"
                  className={sortable ? "sortable" : "unsortable"}
                  title={sortable ? "Sort" : "Sorting is offered on indexed columns only"}
                  aria-sort={sorted === "desc" ? "descending" : sorted === "asc" ? "ascending" : "none"}
                  onClick={h.column.getToggleSortingHandler()}
                >
                  {flexRender(h.column.columnDef.header, h.getContext())}
                  {sorted === "desc" ? " ▾" : sorted === "asc" ? " ▴" : ""}
                </button>
              );
            })}
            {actions && <span />}
          </div>
          <div style={{ height: virtualizer.getTotalSize(), position: "relative", minWidth }}>
            {items.map((item) => (
              <GridRow
                key={item.key}
                row={paged.row(item.index)}
                index={item.index}
                start={item.start}
                selected={item.index === selected}
                columns={columnIds}
                zone={zone}
                template={template}
                minWidth={minWidth}
                renderCell={renderCell}
                actions={actions}
                onPick={pick}
              />
            ))}
          </div>
        </div>
      )}
      {open && (
        <Drawer title={`${table} #${String(open.id ?? "")}`} row={open} onClose={() => setOpen(null)}>
          {renderDetail?.(open)}
        </Drawer>
      )}
    </section>
  );
}
