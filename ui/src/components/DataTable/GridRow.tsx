// One windowed row of a fixed height; memoized, so scrolling renders only the rows that come
// into view (a row's object stays the same while its page stays loaded).
import { memo, type ReactNode } from "react";

import type { Row } from "../../api";
import { formatCell } from "../../lib/format";
import type { Zone } from "../../lib/timeZone";

export const ROW_HEIGHT = 34;

export interface GridRowProps {
  /** Undefined while the row's page is being fetched (scrolled back to, or refreshed). */
  row: Row | undefined;
  index: number;
  start: number;
  selected: boolean;
  /** The shown column ids in order. */
  columns: string[];
  /** The time zone times show in: the memo must see it change. */
  zone: Zone;
  template: string;
  minWidth: number;
  renderCell?: (column: string, row: Row) => ReactNode | undefined;
  actions?: (row: Row) => ReactNode;
  onPick: (index: number, row: Row, openDetail: boolean) => void;
}

export const GridRow = memo(function GridRow(props: GridRowProps) {
  const { row: data, index, start, selected, columns, template, minWidth, renderCell, actions, onPick } = props;
  if (!data) {
    return (
      <div
        role="row"
        data-testid="row-loading"
        className="grid-row loading"
        style={{ minWidth, height: ROW_HEIGHT, transform: `translateY(${start}px)` }}
      >
        <span role="cell">…</span>
      </div>
    );
  }
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
        onClick={() => onPick(index, data, false)}
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
      onClick={(e) => onPick(index, data, !(e.target as HTMLElement).closest("button, select, input, a"))}
    >
      {columns.map((column) => {
        const text = formatCell(data[column]);
        return (
          <span key={column} role="cell" title={text}>
            {renderCell?.(column, data) ?? text}
          </span>
        );
      })}
      {/* the room left over, so the actions stay at the right edge of a narrow table */}
      <span aria-hidden="true" />
      {actions && <span className="row-actions">{actions(data)}</span>}
    </div>
  );
});
