// The row detail panel: every field, JSON pretty-printed and collapsible. Esc closes it.
import { useEffect, type ReactNode } from "react";

import type { Row, Value } from "../api";
import { formatCell } from "../lib/format";
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
}

export function Drawer({ title, row, onClose, children }: Props) {
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
        {Object.entries(row).map(([k, v]) => (
          <div key={k} className="field">
            <dt>{k}</dt>
            <dd>
              <FieldValue value={v} />
            </dd>
          </div>
        ))}
      </dl>
    </aside>
  );
}
