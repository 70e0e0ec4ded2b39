// The toolbar's "Columns" menu: show or hide each column (one always stays), move it up or down
// in the order, or reset the table's layout (widths too) to its defaults. Keyboard: Tab through
// it, Space to tick, Esc closes and returns to the button.
import { useId, useLayoutEffect, useRef, useState } from "react";

import { useMenuPanel } from "./useMenuPanel";

interface Props {
  order: string[];
  hidden: Set<string>;
  onToggle: (column: string) => void;
  onMove: (column: string, by: -1 | 1) => void;
  onReset: () => void;
}

export function ColumnsMenu({ order, hidden, onToggle, onMove, onReset }: Props) {
  const [open, setOpen] = useState(false);
  // after a move, focus stays on the moved column's button (or its other one at an end)
  const [moved, setMoved] = useState<{ column: string; by: -1 | 1 } | null>(null);
  const id = useId();
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  useMenuPanel(open, () => setOpen(false), "input", button, panel);
  const shownCount = order.length - hidden.size;

  useLayoutEffect(() => {
    if (!moved) return;
    const find = (by: number) =>
      [...(panel.current?.querySelectorAll<HTMLButtonElement>("button[data-move]") ?? [])].find(
        (b) => b.dataset.column === moved.column && b.dataset.move === String(by),
      );
    const same = find(moved.by);
    (same && !same.disabled ? same : find(-moved.by))?.focus();
  }, [moved, order]);

  const close = () => {
    setOpen(false);
    button.current?.focus();
  };

  return (
    <span className="columns-menu-anchor">
      <button
        ref={button}
        aria-haspopup="true"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        onClick={() => setOpen(!open)}
        data-testid="columns-button"
      >
        Columns
      </button>
      {open && (
        <div
          ref={panel}
          id={id}
          className="columns-menu"
          role="group"
          aria-label="Columns"
          onKeyDown={(e) => {
            if (e.key !== "Escape") return;
            e.stopPropagation(); // an open drawer stays open
            close();
          }}
        >
          <ul>
            {order.map((column, i) => (
              <li key={column}>
                <label>
                  <input
                    type="checkbox"
                    checked={!hidden.has(column)}
                    disabled={!hidden.has(column) && shownCount === 1}
                    onChange={() => onToggle(column)}
                  />
                  {column}
                </label>
                {([-1, 1] as const).map((by) => (
                  <button
                    key={by}
                    aria-label={`Move ${column} ${by < 0 ? "up" : "down"}`}
                    data-move={by}
                    data-column={column}
                    disabled={by < 0 ? i === 0 : i === order.length - 1}
                    onClick={() => {
                      onMove(column, by);
                      setMoved({ column, by });
                    }}
                  >
                    {by < 0 ? "↑" : "↓"}
                  </button>
                ))}
              </li>
            ))}
          </ul>
          <button onClick={onReset} data-testid="columns-reset">
            Reset layout
          </button>
        </div>
      )}
    </span>
  );
}
