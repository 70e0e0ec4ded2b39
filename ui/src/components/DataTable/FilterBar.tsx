// Typed filter chips: pick a column and an operator, type a value, Enter adds the chip. A value
// for a time column must name a day of the calendar (lib/isoDay): `2026-13-01` is refused with
// a message under the box, and no chip is added, instead of becoming another date.
import { useId, useState, type FormEvent } from "react";

import type { Column } from "../../api";
import { OPS, OP_LABELS, SEARCH_COLUMN, WITHIN_DAYS_COLUMN, isOp, takesValue, type Chip, type Op } from "../../lib/query";
import { timeValueProblem } from "../../lib/isoDay";
import { formatInstant, humanDay } from "../../lib/timeZone";

interface Props {
  columns: Column[];
  chips: Chip[];
  onChange: (chips: Chip[]) => void;
}

const DAY_WORDS: Partial<Record<Op, string>> = { gte: "from", lte: "until", gt: "after", lt: "before" };

/** How a chip reads: "created_at from 1 Nov 2026" for a day on a time column, else its parts. */
export function chipLabel(chip: Chip, column: Column | undefined): string {
  if (chip.column === SEARCH_COLUMN) return `search “${chip.value}”`;
  if (chip.column === WITHIN_DAYS_COLUMN) return `active = within ${chip.value} days`;
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
  // why the typed value was refused, until it (or the column or operator) changes
  const [problem, setProblem] = useState<string | null>(null);
  const errorId = useId();
  const chosen = column || filterable[0]?.name || "";

  function add(e: FormEvent) {
    e.preventDefault();
    if (!chosen || (takesValue(op) && value.trim() === "")) return;
    // a time is compared by its day: one that is no day is refused, not rolled over (a
    // `contains` looks for text, any text)
    const kind = filterable.find((c) => c.name === chosen)?.kind;
    const refused = kind === "timestamp" && takesValue(op) && op !== "contains" ? timeValueProblem(value) : null;
    setProblem(refused);
    if (refused) return;
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
        <select
          aria-label="Filter column"
          value={chosen}
          onChange={(e) => {
            setColumn(e.target.value);
            setProblem(null);
          }}
        >
          {filterable.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name}
            </option>
          ))}
        </select>
        <select
          aria-label="Filter operator"
          value={op}
          onChange={(e) => {
            if (isOp(e.target.value)) setOp(e.target.value);
            setProblem(null);
          }}
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
            onChange={(e) => {
              setValue(e.target.value);
              setProblem(null);
            }}
            aria-invalid={problem !== null}
            aria-describedby={problem ? errorId : undefined}
            data-testid="filter-value"
          />
        )}
        <button type="submit">Add filter</button>
        {problem && (
          <span className="field-error" id={errorId} role="alert" data-testid="filter-value-error">
            {problem}
          </span>
        )}
      </form>
    </div>
  );
}
