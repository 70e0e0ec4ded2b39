// Typed filter chips: pick a column and an operator, type a value, Enter adds the chip.
import { useState, type FormEvent } from "react";

import type { Column } from "../../api";
import { OPS, OP_LABELS, isOp, takesValue, type Chip, type Op } from "../../lib/query";
import { formatInstant, humanDay } from "../../lib/timeZone";

interface Props {
  columns: Column[];
  chips: Chip[];
  onChange: (chips: Chip[]) => void;
}

const DAY_WORDS: Partial<Record<Op, string>> = { gte: "from", lte: "until", gt: "after", lt: "before" };

/** How a chip reads: "created_at from 1 Nov 2026" for a day on a time column, else its parts. */
export function chipLabel(chip: Chip, column: Column | undefined): string {
  const day = column?.kind === "timestamp" ? humanDay(chip.value) : null;
  const word = DAY_WORDS[chip.op];
  if (day && word) return `${chip.column} ${word} ${day}`;
  if (column?.kind === "timestamp" && TIME.test(chip.value)) return `${chip.column} ${OP_LABELS[chip.op]} ${formatInstant(chip.value)}`;
  return takesValue(chip.op) ? `${chip.column} ${OP_LABELS[chip.op]} ${chip.value}` : `${chip.column} ${OP_LABELS[chip.op]}`;
}

const TIME = /^\d{4}-\d{2}-\d{2}T/;

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
      {chips.map((chip, i) => {
        const label = chipLabel(chip, columns.find((c) => c.name === chip.column));
        return (
        <span key={`${chip.column}-${chip.op}-${chip.value}-${i}`} className="chip" data-testid="filter-chip">
          {label}
          <button
            aria-label={`Remove filter ${label}`}
            onClick={() => onChange(chips.filter((_, j) => j !== i))}
          >
            ×
          </button>
        </span>
        );
      })}
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
