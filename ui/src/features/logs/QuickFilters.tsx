// The quick-filter controls above a log. Each shows the chip it owns, so the URL, the chip bar
// and back/forward stay the one source of truth.

import { useState } from "react";

import { IsoDateInput } from "../../components/IsoDateInput";
import { TypingInput } from "../../components/TypingInput";
import type { Chip } from "../../lib/query";
import { applyQuick, inputFromChips, type QuickFilter } from "./quickFilters";

interface Props {
  filters: QuickFilter[];
  chips: Chip[];
  onChange: (chips: Chip[]) => void;
}

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
          return <IsoDateInput key={testid} label={f.label} value={current} onApply={set} testid={testid} />;
        }
        return <TypingInput key={testid} label={f.label} current={current} onSet={set} testid={testid} />;
      })}
      {rangeError && (
        <span className="field-error" role="alert" data-testid="range-error">
          {rangeError}
        </span>
      )}
    </div>
  );
}
