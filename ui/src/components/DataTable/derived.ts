// Columns a screen computes from each row (fields of a JSON column, say): shown, copied and
// listed in the drawer like the table's own, but never filtered or sorted, since the backend
// has no such column.
import { useState } from "react";

import type { Column, Row, Value } from "../../api";
import type { PagedRows } from "./usePagedRows";

export interface DerivedColumn {
  name: string;
  value: (row: Row) => Value;
}

export function derivedColumn(d: DerivedColumn): Column {
  return { name: d.name, kind: "text", nullable: true, sortable: false, sensitive: false, masking: "clear" };
}

/** The table's rows with the derived fields added; each row is extended once and the same
 *  object returned after, so rows that did not change still skip rendering. */
export function useDerivedRows(paged: PagedRows, derived: DerivedColumn[]): PagedRows {
  // kept across renders (a page's rows keep their identity while it is held); anew when the
  // derived columns change
  const [made, setMade] = useState(() => ({ derived, rows: new WeakMap<Row, Row>() }));
  if (made.derived !== derived) setMade({ derived, rows: new WeakMap<Row, Row>() });
  if (!derived.length) return paged;
  const extend = (row: Row): Row => {
    let out = made.rows.get(row);
    if (!out) {
      out = { ...row };
      for (const d of derived) out[d.name] = d.value(row);
      made.rows.set(row, out);
    }
    return out;
  };
  return {
    ...paged,
    row: (index) => {
      const row = paged.row(index);
      return row && extend(row);
    },
    held: () => paged.held().map(extend),
  };
}
