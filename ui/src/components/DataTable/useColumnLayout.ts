// The column layout of one table (widths, hidden columns, order) and the changes a person makes
// to it, each saved at once for the next time the table opens.
import { useMemo, useState } from "react";

import type { Column } from "../../api";
import { clampWidth } from "./columnWidths";
import { NO_LAYOUT, readLayout, resolveLayout, writeLayout, type Layout, type SavedLayout } from "./columnLayout";

export interface ColumnLayout extends Layout {
  setWidth: (name: string, width: number) => void;
  /** Shows a hidden column or hides a shown one (never the last one shown). */
  toggle: (name: string) => void;
  /** Moves a column one place up (-1) or down (+1) in the order. */
  move: (name: string, by: -1 | 1) => void;
  reset: () => void;
  /** Takes a whole layout at once (a saved view applied), kept like any change. */
  replace: (layout: SavedLayout) => void;
}

export function useColumnLayout(table: string, columns: Column[], leading?: string[]): ColumnLayout {
  const [state, setState] = useState(() => ({ table, saved: readLayout(table) }));
  // another table in the same place (a route change) brings its own layout
  const saved = state.table === table ? state.saved : readLayout(table);
  if (state.table !== table) setState({ table, saved });
  const layout = useMemo(() => resolveLayout(columns, leading, saved), [columns, leading, saved]);

  const save = (next: SavedLayout | null) => {
    writeLayout(table, next);
    setState({ table, saved: next ?? NO_LAYOUT });
  };

  return {
    ...layout,
    setWidth: (name, width) => save({ ...saved, widths: { ...saved.widths, [name]: clampWidth(width) } }),
    toggle: (name) => {
      const hidden = new Set(layout.hidden);
      if (hidden.has(name)) hidden.delete(name);
      else if (layout.shown.length > 1) hidden.add(name);
      save({ ...saved, hidden: [...hidden] });
    },
    move: (name, by) => {
      const order = [...layout.order];
      const at = order.indexOf(name);
      const to = at + by;
      if (at < 0 || to < 0 || to >= order.length) return;
      [order[at], order[to]] = [order[to], order[at]];
      // the whole order is kept once a column is moved; until then defaults apply
      save({ ...saved, order });
    },
    reset: () => save(null),
    replace: (next) => save(next),
  };
}
