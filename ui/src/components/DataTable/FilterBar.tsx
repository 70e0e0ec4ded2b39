// Typed filter chips: pick a column and an operator, type a value, Enter adds the chip.
import { useState, type FormEvent } from "react";

import type { Column } from "../../api";
import { OPS, OP_LABELS, isOp, takesValue, type Chip, type Op } from "../../lib/query";

interface Props {
  columns: Column[];
  chips: Chip[];
  onChange: (chips: Chip[]) => void;
}

export function FilterBar({ columns, chips, onChange }: Props) {
  const filterable = columns.filter((c) => c.kind !== "bytes" && !c.sensitive);
  const [column, setColumn] = useState("");
  const [op, setOp] = useState<Op>("eq");
  const [value, setValue] = useState("");
  const chosen = column || filterable[0]?.name || "";

  function add(e: FormEvent) {
    e.preventDefault();
    if (!chosen || (takesValue(op) && value.trim() === "")) return;
    onChange([...chips, { column: chosen, op, value: takesValue(op) ? value.trim() : "" }]);
    setValue("");
  }

  return (
    <div className="filter-bar">
      {chips.map((chip, i) => (
        <span key={`${chip.column}-${chip.op}-${chip.value}-${i}`} className="chip" data-testid="filter-chip">
          {chip.column} {OP_LABELS[chip.op]} {chip.value}
          <button
            aria-label={`Remove filter ${chip.column} ${OP_LABELS[chip.op]} ${chip.value}`}
            onClick={() => onChange(chips.filter((_, j) => j !== i))}
          >
            ×
          </button>
        </span>
      ))}
      <form className="filter-form" onSubmit={add}>
        <select aria-label="Filter column" value={chosen} onChange={(e) => setColumn(e.target.value)}>
          {filterable.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name}
            </option>
          ))}
        </select>
        <select
          aria-label="Filter operator"
          value={op}
          onChange={(e) => isOp(e.target.value) && setOp(e.target.value)}
        >
          {OPS.map((o) => (
            <option key={o} value={o}>
              {OP_LABELS[o]}
            </option>
          ))}
        </select>
        {takesValue(op) && (
          <input
            aria-label="Filter value"
            placeholder="value"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            data-testid="filter-value"
          />
        )}
        <button type="submit">Add filter</button>
      </form>
    </div>
  );
}
