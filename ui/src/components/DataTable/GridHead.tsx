// The header row, sticky at the top of the grid and scrolling sideways with the rows: sort
// toggles on indexed columns, and at each column's right edge a handle to drag for its width,
// double-click to fit its content, or focus and move with ←/→.
import { flexRender, type Header } from "@tanstack/react-table";
import type { KeyboardEvent, MouseEvent } from "react";

import type { Row } from "../../api";
import { MAX_WIDTH, MIN_WIDTH } from "./columnWidths";

/** Fixed, like the rows: it covers the top of the rows' viewport, which the window allows for. */
export const HEAD_HEIGHT = 32;
const KEY_STEP = 10;

interface Props {
  headers: Header<Row, unknown>[];
  widths: Record<string, number>;
  template: string;
  minWidth: number;
  actions: boolean;
  onResize: (column: string, width: number) => void;
  onFit: (column: string) => void;
}

export function GridHead({ headers, widths, template, minWidth, actions, onResize, onFit }: Props) {
  function drag(e: MouseEvent, column: string) {
    if (e.button !== 0) return;
    e.preventDefault(); // no text selection while dragging
    const from = e.clientX;
    const width = widths[column];
    const move = (m: globalThis.MouseEvent) => onResize(column, width + m.clientX - from);
    const up = () => {
      window.removeEventListener("mousemove", move);
      window.removeEventListener("mouseup", up);
      document.body.classList.remove("resizing-column");
    };
    window.addEventListener("mousemove", move);
    window.addEventListener("mouseup", up);
    document.body.classList.add("resizing-column");
  }

  function key(e: KeyboardEvent, column: string) {
    const by = e.key === "ArrowLeft" ? -KEY_STEP : e.key === "ArrowRight" ? KEY_STEP : 0;
    if (by) onResize(column, widths[column] + by);
    else if (e.key === "Enter") onFit(column);
    else return;
    e.preventDefault();
    e.stopPropagation(); // the grid's own keys (the selection, opening a row) are not meant
  }

  return (
    <div className="grid-head" style={{ gridTemplateColumns: template, minWidth, height: HEAD_HEIGHT }} role="row">
      {headers.map((h) => {
        const sortable = h.column.getCanSort();
        const sorted = h.column.getIsSorted();
        return (
          <div key={h.id} className="head-cell">
            <button
              role="columnheader"
              className={sortable ? "sortable" : "unsortable"}
              title={sortable ? "Sort" : "Sorting is offered on indexed columns only"}
              aria-sort={sorted === "desc" ? "descending" : sorted === "asc" ? "ascending" : "none"}
              onClick={h.column.getToggleSortingHandler()}
            >
              {flexRender(h.column.columnDef.header, h.getContext())}
              {sorted === "desc" ? " ▾" : sorted === "asc" ? " ▴" : ""}
            </button>
            <span
              role="separator"
              aria-orientation="vertical"
              aria-label={`Width of ${h.id}`}
              aria-valuenow={widths[h.id]}
              aria-valuemin={MIN_WIDTH}
              aria-valuemax={MAX_WIDTH}
              tabIndex={0}
              className="col-resizer"
              title="Drag to resize, double-click to fit"
              onMouseDown={(e) => drag(e, h.id)}
              onDoubleClick={() => onFit(h.id)}
              onKeyDown={(e) => key(e, h.id)}
            />
          </div>
        );
      })}
      <span aria-hidden="true" />
      {actions && <span className="row-actions" aria-hidden="true" />}
    </div>
  );
}
