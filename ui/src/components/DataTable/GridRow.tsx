// One virtualized row of a fixed height; memoized, so scrolling renders only the rows that come
// into view (TanStack keeps a row's object while its page stays loaded).
import type { Row as TableRow } from "@tanstack/react-table";
import { memo, type ReactNode } from "react";

import type { Row } from "../../api";
import { formatCell } from "../../lib/format";

export const ROW_HEIGHT = 34;

export interface GridRowProps {
  row: TableRow<Row>;
  start: number;
  selected: boolean;
  /** The shown column ids in order: the memo must see a column layout change. */
  layout: string;
  template: string;
  minWidth: number;
  renderCell?: (column: string, row: Row) => ReactNode | undefined;
  actions?: (row: Row) => ReactNode;
  onPick: (index: number, row: Row, openDetail: boolean) => void;
}

export const GridRow = memo(function GridRow(props: GridRowProps) {
  const { row, start, selected, template, minWidth, renderCell, actions, onPick } = props;
  const data = row.original;
  // a row the backend could not decode: its id and why, across the row; no actions apply
  const unreadable = typeof data._unreadable === "string" ? data._unreadable : null;
  if (unreadable) {
    return (
      <div
        role="row"
        data-testid="row-unreadable"
        aria-selected={selected}
        className={selected ? "grid-row unreadable selected" : "grid-row unreadable"}
        style={{ minWidth, height: ROW_HEIGHT, transform: `translateY(${start}px)` }}
        onClick={() => onPick(row.index, data, false)}
      >
        <span role="cell" title={unreadable}>
          Row {formatCell(data.id)} could not be read: {unreadable}
        </span>
      </div>
    );
  }
  return (
    <div
      role="row"
      data-testid="row"
      aria-selected={selected}
      className={selected ? "grid-row selected" : "grid-row"}
      style={{ gridTemplateColumns: template, minWidth, height: ROW_HEIGHT, transform: `translateY(${start}px)` }}
      // clicks on controls inside a row act on the control, not the drawer
      onClick={(e) => onPick(row.index, data, !(e.target as HTMLElement).closest("button, select, input, a"))}
    >
      {row.getVisibleCells().map((cell) => {
        const text = formatCell(data[cell.column.id]);
        return (
          <span key={cell.id} role="cell" title={text}>
            {renderCell?.(cell.column.id, data) ?? text}
          </span>
        );
      })}
      {actions && <span className="row-actions">{actions(data)}</span>}
    </div>
  );
});
