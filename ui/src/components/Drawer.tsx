// The row detail panel: every field, whole (a table cuts long text), in the table's column order
// and under friendly labels; JSON pretty-printed and collapsible. Esc closes it.
import { useEffect, type ReactNode } from "react";

import type { Row, Value } from "../api";
import { formatCell } from "../lib/format";
import { label } from "../lib/labels";
import { useZone } from "../lib/timeZone";

export function FieldValue({ value }: { value: Value | undefined }) {
  if (value !== null && typeof value === "object") {
    return (
      <details open>
        <summary>{Array.isArray(value) ? `${value.length} items` : "JSON"}</summary>
        <pre>{JSON.stringify(value, null, 2)}</pre>
      </details>
    );
  }
  if (typeof value === "string" && value.includes("\n")) return <pre>{value}</pre>;
  return <span>{formatCell(value)}</span>;
}

interface Props {
  title: string;
  row: Row;
  onClose: () => void;
  children?: ReactNode;
  /** Fields to show first, in this order (a table's shown columns); the rest follow. */
  order?: string[];
  /** Replaces a field's default rendering (a link, a size) where it returns something. */
  renderField?: (name: string, row: Row) => ReactNode | undefined;
}

/** The row's fields: those in `order` first, in that order, then the others as they come. */
export function orderedFields(row: Row, order: string[] = []): string[] {
  const first = order.filter((name) => Object.hasOwn(row, name));
  const listed = new Set(first);
  return [...first, ...Object.keys(row).filter((name) => !listed.has(name))];
}

export function Drawer({ title, row, onClose, children, order, renderField }: Props) {
  useZone(); // times show in the chosen zone: a switch shows here at once
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  return (
    <aside className="drawer" aria-label={title} data-testid="detail-drawer">
      <header>
        <h2>{title}</h2>
        <button onClick={onClose} aria-label="Close details">
          ×
        </button>
      </header>
      {children}
      <dl>
        {orderedFields(row, order).map((name) => (
          <div key={name} className="field">
            <dt title={name}>{label(name)}</dt>
            <dd>
              {renderField?.(name, row) ?? <FieldValue value={row[name]} />}
            </dd>
          </div>
        ))}
      </dl>
    </aside>
  );
}
