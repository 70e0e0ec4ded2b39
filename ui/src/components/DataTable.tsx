// Any table through the list engine: keyset pages loaded as you scroll, virtualized rows of a
// fixed height (no layout jump), sortable indexed columns, typed filter chips, keyboard
// selection (↑/↓, Enter opens, Esc closes) and a detail drawer.
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import { memo, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from "react";

import { api, type Column, type Row, type Table } from "../api";
import { errorText } from "../app/toasts";
import { formatCell, formatTotal } from "../lib/format";
import { toQuery, type Chip, type SortState } from "../lib/query";
import { Drawer } from "./Drawer";
import { ExportButton } from "./ExportButton";
import { FilterBar } from "./FilterBar";

const ROW_HEIGHT = 34;
const MIN_COLUMN = 110;
const ACTIONS_WIDTH = 90;

export interface DataTableProps {
  table: Table;
  chips: Chip[];
  sort: SortState | null;
  onQueryChange: (chips: Chip[], sort: SortState | null) => void;
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
}

export function DataTable(props: DataTableProps) {
  const { table, chips, sort, onQueryChange, renderCell, actions, renderDetail, toolbar, leading } = props;
  const actionsWidth = props.actionsWidth ?? ACTIONS_WIDTH;
  const columnsQuery = useQuery({ queryKey: ["columns", table], queryFn: () => api.columns(table) });
  const columns = useMemo(() => {
    const shown = (columnsQuery.data ?? []).filter((c) => c.kind !== "bytes" && !c.sensitive);
    const rank = (c: Column) => {
      const i = leading?.indexOf(c.name) ?? -1;
      return i < 0 ? Number.MAX_SAFE_INTEGER : i;
    };
    return [...shown].sort((a, b) => rank(a) - rank(b));
  }, [columnsQuery.data, leading]);
  const rowsQuery = useInfiniteQuery({
    queryKey: ["rows", table, chips, sort],
    enabled: columnsQuery.isSuccess,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => api.listRows(table, toQuery(chips, sort, columnsQuery.data ?? [], pageParam)),
    getNextPageParam: (last) => last.next_cursor,
  });
  const rows = useMemo(() => rowsQuery.data?.pages.flatMap((p) => p.rows) ?? [], [rowsQuery.data]);
  const total = rowsQuery.data?.pages[0]?.total;

  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // rows render before the first measurement (and in tests, which have no layout)
    initialRect: { width: 1000, height: 600 },
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length ? items[items.length - 1].index : -1;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = rowsQuery;
  useEffect(() => {
    if (lastIndex >= rows.length - 20 && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [lastIndex, rows.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  const [selected, setSelected] = useState(-1);
  const [open, setOpen] = useState<Row | null>(null);
  useEffect(() => {
    setSelected(-1);
    setOpen(null);
  }, [table, chips, sort]);

  // stable, so rows that did not change skip rendering while the table scrolls
  const pick = useCallback((index: number, row: Row, openDetail: boolean) => {
    setSelected(index);
    if (openDetail) setOpen(row);
  }, []);

  function onKeyDown(e: KeyboardEvent) {
    const move = e.key === "ArrowDown" ? 1 : e.key === "ArrowUp" ? -1 : 0;
    if (move) {
      e.preventDefault();
      const next = Math.max(0, Math.min(rows.length - 1, selected + move));
      setSelected(next);
      virtualizer.scrollToIndex(next);
    } else if (e.key === "Enter" && rows[selected]) {
      setOpen(rows[selected]);
    }
  }

  function toggleSort(column: Column) {
    if (!column.sortable) return;
    const descending = sort?.column === column.name ? !sort.descending : true;
    onQueryChange(chips, { column: column.name, descending });
  }

  // a fixed actions column keeps the header's columns aligned with the rows'
  const template = `repeat(${columns.length}, minmax(${MIN_COLUMN}px, 1fr))${actions ? ` ${actionsWidth}px` : ""}`;
  // wide tables scroll sideways inside the table instead of stretching the window
  const minWidth = columns.length * (MIN_COLUMN + 8) + (actions ? actionsWidth + 8 : 0);
  const error = columnsQuery.error ?? rowsQuery.error;

  return (
    <section className="data-table" data-testid={`table-${table}`}>
      <div className="table-toolbar">
        {toolbar}
        <ExportButton table={table} chips={chips} sort={sort} columns={columnsQuery.data ?? []} />
        <span className="total" data-testid="total">
          {total ? formatTotal(total) : ""}
        </span>
      </div>
      <FilterBar columns={columns} chips={chips} onChange={(next) => onQueryChange(next, sort)} />
      {error ? (
        <p className="state state-error" role="alert">
          {errorText(error)}
        </p>
      ) : rowsQuery.isPending ? (
        <p className="state">Loading…</p>
      ) : rows.length === 0 ? (
        <p className="state" data-testid="empty">
          {chips.length ? "No rows match these filters." : "This table is empty."}
        </p>
      ) : (
        <div className="grid-body" ref={scroller} tabIndex={0} onKeyDown={onKeyDown} role="grid">
          {/* the header scrolls sideways with the rows and sticks to the top */}
          <div className="grid-head" style={{ gridTemplateColumns: template, minWidth }} role="row">
            {columns.map((c) => (
              <button
                key={c.name}
                role="columnheader"
                className={c.sortable ? "sortable" : "unsortable"}
                title={c.sortable ? "Sort" : "Sorting is offered on indexed columns only"}
                aria-sort={sort?.column === c.name ? (sort.descending ? "descending" : "ascending") : "none"}
                onClick={() => toggleSort(c)}
              >
                {c.name}
                {sort?.column === c.name ? (sort.descending ? " ▾" : " ▴") : ""}
              </button>
            ))}
            {actions && <span />}
          </div>
          <div style={{ height: virtualizer.getTotalSize(), position: "relative", minWidth }}>
            {items.map((item) => (
              <GridRow
                key={item.key}
                row={rows[item.index]}
                index={item.index}
                start={item.start}
                selected={item.index === selected}
                columns={columns}
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

interface GridRowProps {
  row: Row;
  index: number;
  start: number;
  selected: boolean;
  columns: Column[];
  template: string;
  minWidth: number;
  renderCell?: DataTableProps["renderCell"];
  actions?: DataTableProps["actions"];
  onPick: (index: number, row: Row, openDetail: boolean) => void;
}

/** One row; memoized so scrolling renders only the rows that come into view. */
const GridRow = memo(function GridRow(props: GridRowProps) {
  const { row, index, start, selected, columns, template, minWidth, renderCell, actions, onPick } = props;
  return (
    <div
      role="row"
      data-testid="row"
      aria-selected={selected}
      className={selected ? "grid-row selected" : "grid-row"}
      style={{ gridTemplateColumns: template, minWidth, height: ROW_HEIGHT, transform: `translateY(${start}px)` }}
      // clicks on controls inside a row act on the control, not the drawer
      onClick={(e) => onPick(index, row, !(e.target as HTMLElement).closest("button, select, input, a"))}
    >
      {columns.map((c) => (
        <span key={c.name} role="cell" title={formatCell(row[c.name])}>
          {renderCell?.(c.name, row) ?? formatCell(row[c.name])}
        </span>
      ))}
      {actions && <span className="row-actions">{actions(row)}</span>}
    </div>
  );
});
