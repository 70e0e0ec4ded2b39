// Any table through the list engine: keyset pages fetched ahead of the viewport and let go far
// behind it (`usePagedRows`), windowed rows of a fixed height (`useRowWindow`), sortable
// indexed columns, typed filter chips, keyboard selection (↑/↓, Enter opens, Esc closes,
// Ctrl/Cmd+C copies), a detail drawer, and a column layout a person sets (widths, shown columns,
// order; `useColumnLayout`) that is kept per table, and saved views of all that (`useSavedViews`,
// the Views menu). Row actions stay pinned at the right edge.
import { useQuery } from "@tanstack/react-query";
import { getCoreRowModel, useReactTable, type SortingState, type Updater } from "@tanstack/react-table";
import { useCallback, useEffect, useMemo, useState, type KeyboardEvent, type ReactNode } from "react";

import { api, type Row, type TableName } from "../../api";
import { errorText } from "../../app/toasts";
import { formatCell, formatTotal } from "../../lib/format";
import { rowTitle } from "../../lib/labels";
import { toQuery, type ScreenQuery } from "../../lib/query";
import { useZone } from "../../lib/timeZone";
import { Drawer } from "../Drawer";
import { ExportButton } from "../ExportButton";
import { fitWidth } from "./columnWidths";
import { ColumnsMenu } from "./ColumnsMenu";
import { columnDefs, fromSorting, shownColumns, toSorting } from "./columns";
import { derivedColumn, useDerivedRows, type DerivedColumn } from "./derived";
import { FilterBar } from "./FilterBar";
import { QuickSearch } from "./QuickSearch";
import { GridHead, HEAD_HEIGHT } from "./GridHead";
import { GridRow, ROW_HEIGHT } from "./GridRow";
import { fontOf } from "./measureText";
import { useColumnLayout } from "./useColumnLayout";
import { useCopyRows } from "./useCopyRows";
import { usePagedRows } from "./usePagedRows";
import { useRowWindow } from "./useRowWindow";
import { useSavedViews } from "./useSavedViews";
import { ViewsMenu } from "./ViewsMenu";

const NO_ROWS: Row[] = [];
const NO_DERIVED: DerivedColumn[] = [];
const ACTIONS_WIDTH = 90;
/** The grid's gap between columns and its padding at each side (styles.css). */
const GAP = 8;
const PADDING = 8;
const MAC = /Mac|iPhone|iPad/.test(navigator.platform);

export interface DataTableProps extends ScreenQuery {
  table: TableName;
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
  /** Columns computed from each row, after the table's own (a stable array). */
  derived?: DerivedColumn[];
  /** The rows carry each bytes cell's size (an explored table's): bytes columns are shown. */
  byteSizes?: boolean;
  /** Replaces a field's rendering in the drawer (links and sizes as in the cells). */
  renderField?: (column: string, row: Row) => ReactNode | undefined;
}

/** first..last, the few rows in the window. */
function indices(first: number, last: number): number[] {
  const out: number[] = [];
  for (let i = first; i <= last; i++) out.push(i);
  return out;
}

export function DataTable(props: DataTableProps) {
  const { table, chips, sort, onQueryChange, renderCell, actions, renderDetail, toolbar, leading } = props;
  const actionsWidth = props.actionsWidth ?? ACTIONS_WIDTH;
  const zone = useZone();
  const columnsQuery = useQuery({ queryKey: ["columns", table], queryFn: () => api.columns(table) });
  const derived = props.derived ?? NO_DERIVED;
  // the table's own columns (what filters can name) and, after them, the derived ones
  const byteSizes = props.byteSizes ?? false;
  const own = useMemo(() => shownColumns(columnsQuery.data ?? [], byteSizes), [columnsQuery.data, byteSizes]);
  const extra = useMemo(
    () => derived.filter((d) => !own.some((c) => c.name === d.name)).map(derivedColumn),
    [derived, own],
  );
  const columns = useMemo(() => [...own, ...extra], [own, extra]);
  const [visible, setVisible] = useState({ first: 0, last: 0 });
  // a log follows new rows while it is at its top; scrolled down, its rows stay where they are
  const [atTop, setAtTop] = useState(true);
  const following = Boolean(props.follow) && atTop;
  const layout = useColumnLayout(table, columns, leading);
  const views = useSavedViews({
    table,
    chips,
    sort,
    onQueryChange,
    layout,
    own: columnsQuery.data ? own : undefined,
    laidOut: layout.order,
  });
  const paged = useDerivedRows(
    usePagedRows(table, chips, sort, columnsQuery.data, visible, following, views.pageSize),
    derived,
  );
  // keyed by the filters only (a new sort does not count again), under "rows" so that what
  // refreshes a table's rows after a change refreshes its total too
  const totalQuery = useQuery({
    queryKey: ["rows", table, chips, "total"],
    enabled: columnsQuery.isSuccess,
    queryFn: () => api.countRows(table, toQuery(chips, null, columnsQuery.data ?? [])),
  });
  const total = totalQuery.data;

  // TanStack Table holds the column model (order, visibility, sort toggles) from the layout;
  // sorting itself is the backend's
  const defs = useMemo(
    () => columnDefs([...(columnsQuery.data ?? []), ...extra], byteSizes),
    [columnsQuery.data, extra, byteSizes],
  );
  const columnVisibility = useMemo(() => Object.fromEntries([...layout.hidden].map((name) => [name, false])), [layout.hidden]);
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
    state: { sorting, columnOrder: layout.order, columnVisibility },
    onSortingChange,
  });
  const headers = model.getHeaderGroups()[0]?.headers ?? [];
  // the same array while the shown columns stay the same, so unchanged rows skip rendering
  const shownKey = headers.map((h) => h.id).join("\n");
  const columnIds = useMemo(() => (shownKey ? shownKey.split("\n") : []), [shownKey]);
  const hiddenKey = layout.order.filter((name) => layout.hidden.has(name)).join("\n");
  // the drawer: every field, the shown columns first in their order, then the hidden ones
  const fields = useMemo(() => [...columnIds, ...(hiddenKey ? hiddenKey.split("\n") : [])], [columnIds, hiddenKey]);
  const copy = useCopyRows(columnIds);

  const rows = useRowWindow(paged.count, ROW_HEIGHT, HEAD_HEIGHT);
  const { first, last, atTop: top } = rows;
  useEffect(() => setVisible({ first, last: Math.max(first, last) }), [first, last]);
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
    const target = e.target as HTMLElement;
    if (target.closest('input, select, textarea, [role="separator"]')) return; // a control's own keys
    if ((MAC ? e.metaKey : e.ctrlKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === "c") {
      const row = paged.row(selected);
      // text selected on purpose is copied as it is
      if (row && !window.getSelection()?.toString()) {
        e.preventDefault();
        void copy.row(row);
      }
      return;
    }
    const move = e.key === "ArrowDown" ? 1 : e.key === "ArrowUp" ? -1 : 0;
    if (move) {
      e.preventDefault();
      const next = Math.max(0, Math.min(paged.count - 1, selected + move));
      const row = paged.row(next);
      setSelection({ index: next, id: row?.id });
      // an open drawer follows the selection
      if (open && row) setOpen(row);
      rows.scrollToIndex(next);
    } else if (e.key === "Enter" && !target.closest("button")) {
      const row = paged.row(selected);
      if (row) setOpen(row);
    }
  }

  /** Fits a column to its header and the rows rendered now. */
  function fit(column: string) {
    const cells: string[] = [];
    for (let i = first; i <= last; i++) {
      const row = paged.row(i);
      if (row) cells.push(formatCell(row[column]));
    }
    const grid = rows.element;
    const cell = grid?.querySelector('[role="cell"]');
    const head = grid?.querySelector('[role="columnheader"]');
    const fonts = { head: head ? fontOf(head) : "", cell: cell ? fontOf(cell) : "" };
    layout.setWidth(column, fitWidth(column, cells, fonts));
  }

  // fixed widths, the same for the header and the rows, so they align; the leftover room goes
  // before the actions, which keeps them at the right edge
  const widths = columnIds.map((name) => layout.widths[name]);
  const template = [...widths.map((w) => `${w}px`), "minmax(0, 1fr)", ...(actions ? [`${actionsWidth}px`] : [])].join(" ");
  // wide tables scroll sideways inside the table instead of stretching the window
  const minWidth =
    widths.reduce((sum, w) => sum + w, 0) + (actions ? actionsWidth : 0) + GAP * (widths.length + (actions ? 1 : 0)) + 2 * PADDING;
  const error = columnsQuery.error ?? paged.error;

  return (
    <section className="data-table" data-testid={`table-${table}`}>
      <div className="table-toolbar">
        <QuickSearch chips={chips} onChange={(next) => onQueryChange(next, sort)} />
        {toolbar}
        <ExportButton table={table} chips={chips} sort={sort} columns={columnsQuery.data ?? []} />
        <button
          onClick={() => void copy.rows(paged.held())}
          disabled={paged.count === 0}
          title="Copy the rows loaded now (those around the view) as CSV, in the shown columns"
          data-testid="copy-csv"
        >
          Copy as CSV
        </button>
        <ColumnsMenu order={layout.order} hidden={layout.hidden} onToggle={layout.toggle} onMove={layout.move} onReset={layout.reset} />
        <ViewsMenu
          views={views.list}
          error={views.error}
          current={views.current}
          pageSize={views.pageSize}
          onApply={views.apply}
          onSave={views.save}
          onDelete={views.remove}
          onSetDefault={views.setDefault}
        />
        {props.follow && (
          <span className="muted follow" data-testid="follow-state" title="New rows show while the table is at its top">
            {following ? "● live" : "paused (scrolled)"}
          </span>
        )}
        <span className="total" data-testid="total">
          {total ? formatTotal(total) : ""}
        </span>
      </div>
      <FilterBar columns={own} chips={chips} onChange={(next) => onQueryChange(next, sort)} />
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
        <div className="grid-body" ref={rows.ref} tabIndex={0} onKeyDown={onKeyDown} role="grid" data-rows={paged.count}>
          <GridHead
            headers={headers}
            widths={layout.widths}
            template={template}
            minWidth={minWidth}
            actions={Boolean(actions)}
            onResize={layout.setWidth}
            onFit={fit}
          />
          <div style={{ height: rows.height, position: "relative", minWidth }}>
            {indices(first, last).map((index) => (
              <GridRow
                key={index}
                row={paged.row(index)}
                index={index}
                start={index * ROW_HEIGHT + rows.shift}
                selected={index === selected}
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
        <Drawer title={rowTitle(table, open.id)} row={open} order={fields} onClose={() => setOpen(null)} renderField={props.renderField}>
          {renderDetail?.(open)}
        </Drawer>
      )}
    </section>
  );
}
