// The quick-filter controls above a log. Each shows the chip it owns, so the URL, the chip bar
// and back/forward stay the one source of truth.
import type { FormEvent } from "react";

import type { Chip } from "../../lib/query";
import { applyQuick, inputFromChips, type QuickFilter } from "./quickFilters";

interface Props {
  filters: QuickFilter[];
  chips: Chip[];
  onChange: (chips: Chip[]) => void;
}

export function QuickFilters({ filters, chips, onChange }: Props) {
  return (
    <div className="quick-filters" role="group" aria-label="Quick filters">
      {filters.map((f) => {
        const current = inputFromChips(f, chips);
        const set = (input: string) => {
          if (input.trim() !== current) onChange(applyQuick(chips, f, input));
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
        return <TextFilter key={`${testid}:${current}`} filter={f} current={current} onSet={set} testid={testid} />;
      })}
    </div>
  );
}

/** Applied on Enter or when focus leaves; keyed by the chip's value, so it resets when the chip
 * changes elsewhere (chip bar, back/forward). */
function TextFilter(props: { filter: QuickFilter; current: string; onSet: (input: string) => void; testid: string }) {
  const { filter, current, onSet, testid } = props;
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    onSet(new FormData(e.currentTarget).get("value")?.toString() ?? "");
  }
  return (
    <form onSubmit={submit}>
      <input
        name="value"
        type="search"
        aria-label={filter.label}
        placeholder={`${filter.label}…`}
        defaultValue={current}
        onBlur={(e) => onSet(e.target.value)}
        data-testid={testid}
      />
    </form>
  );
}
