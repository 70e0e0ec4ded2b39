// The quick-filter controls above a log. Each shows the chip it owns, so the URL, the chip bar
// and back/forward stay the one source of truth.
import { useEffect, useRef, useState, type FormEvent } from "react";

import type { Chip } from "../../lib/query";
import { applyQuick, inputFromChips, type QuickFilter } from "./quickFilters";

interface Props {
  filters: QuickFilter[];
  chips: Chip[];
  onChange: (chips: Chip[]) => void;
}

/** Text filters apply this long after the last key press. */
export const TYPING_MS = 400;

export function QuickFilters({ filters, chips, onChange }: Props) {
  const [rangeError, setRangeError] = useState<string | null>(null);
  const day = (kind: "from" | "to") => {
    const f = filters.find((q) => q.kind === kind);
    return f ? inputFromChips(f, chips) : "";
  };
  return (
    <div className="quick-filters" role="group" aria-label="Quick filters">
      {filters.map((f) => {
        const current = inputFromChips(f, chips);
        const set = (input: string) => {
          const value = input.trim();
          if (value === current) return;
          // a range that ends before it starts selects nothing: say so instead of applying it
          const [from, to] = f.kind === "from" ? [value, day("to")] : f.kind === "to" ? [day("from"), value] : ["", ""];
          if (from && to && from > to) {
            setRangeError(`From (${from}) is after To (${to})`);
            return;
          }
          if (f.kind === "from" || f.kind === "to") setRangeError(null);
          onChange(applyQuick(chips, f, value));
        };
        const testid = `quick-${f.kind === "from" || f.kind === "to" ? f.kind : f.column}`;
        if (f.kind === "bool") {
          return (
            <label key={testid}>
              {f.label}
              <select value={current} onChange={(e) => set(e.target.value)} data-testid={testid}>
                <option value="">any</option>
                <option value="true">succeeded</option>
                <option value="false">failed</option>
              </select>
            </label>
          );
        }
        if (f.kind === "from" || f.kind === "to") {
          return (
            <label key={testid}>
              {f.label}
              <input type="date" value={current} onChange={(e) => set(e.target.value)} data-testid={testid} />
            </label>
          );
        }
        return <TextFilter key={testid} filter={f} current={current} onSet={set} testid={testid} />;
      })}
      {rangeError && (
        <span className="field-error" role="alert" data-testid="range-error">
          {rangeError}
        </span>
      )}
    </div>
  );
}

/** Applied as you type (a short pause after the last key), on Enter or when focus leaves; shows
 * the chip's value when the chip changes elsewhere (chip bar, back/forward), without taking the
 * text from under the cursor while one types. */
function TextFilter(props: { filter: QuickFilter; current: string; onSet: (input: string) => void; testid: string }) {
  const { filter, current, onSet, testid } = props;
  const [text, setText] = useState(current);
  const [shown, setShown] = useState(current);
  const typing = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => () => clearTimeout(typing.current), []);
  // the chip changed elsewhere: show it (unless it is what is being typed)
  if (current !== shown) {
    setShown(current);
    if (document.activeElement !== input.current) setText(current);
  }
  const apply = (value: string) => {
    clearTimeout(typing.current);
    onSet(value);
  };
  return (
    <form
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        apply(text);
      }}
    >
      <input
        ref={input}
        name="value"
        type="search"
        aria-label={filter.label}
        placeholder={`${filter.label}…`}
        value={text}
        onChange={(e) => {
          const value = e.target.value;
          setText(value);
          clearTimeout(typing.current);
          typing.current = setTimeout(() => onSet(value), TYPING_MS);
        }}
        onBlur={() => apply(text)}
        data-testid={testid}
      />
    </form>
  );
}
