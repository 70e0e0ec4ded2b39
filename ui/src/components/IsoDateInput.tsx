// A day typed as YYYY-MM-DD (lib/isoDay), in place of <input type="date">, whose picker WebKit
// shows in the system's locale (mm/dd/yyyy) while every table shows ISO days. A whole valid day
// applies as soon as it is typed, or on Enter or leaving the box; an invalid one says why under
// the box and applies nothing; empty clears. Escape puts back the applied day.
import { useId, useState, type KeyboardEvent } from "react";

import { dayProblem, isCompleteDay } from "../lib/isoDay";
import "./IsoDateInput.css";

interface Props {
  label: string;
  /** The applied day (`YYYY-MM-DD`) or "". */
  value: string;
  /** Called with a valid day, or "" to clear; never with an invalid day. */
  onApply: (day: string) => void;
  testid: string;
}

export function IsoDateInput({ label, value, onApply, testid }: Props) {
  const [text, setText] = useState(value);
  const [shown, setShown] = useState(value);
  const [problem, setProblem] = useState<string | null>(null);
  const errorId = useId();
  // the applied day changed elsewhere (chip bar, back/forward): show it
  if (value !== shown) {
    setShown(value);
    setText(value);
    setProblem(null);
  }
  const commit = (input: string) => {
    const why = dayProblem(input);
    setProblem(why);
    if (why === null && input.trim() !== value) onApply(input.trim());
  };
  return (
    <span className="iso-date">
      <label>
        {label}
        <input
          value={text}
          inputMode="numeric"
          placeholder="YYYY-MM-DD"
          pattern="\d{4}-\d{2}-\d{2}"
          maxLength={10}
          size={10}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={problem !== null}
          aria-describedby={problem ? errorId : undefined}
          onChange={(e) => {
            const next = e.target.value;
            setText(next);
            if (isCompleteDay(next)) commit(next);
            // a whole day's worth of characters that is no day: say so at once
            else setProblem(next.trim().length >= 10 ? dayProblem(next) : null);
          }}
          onBlur={() => commit(text)}
          onKeyDown={(e: KeyboardEvent<HTMLInputElement>) => {
            if (e.key === "Enter") {
              e.preventDefault();
              commit(text);
            } else if (e.key === "Escape" && text !== value) {
              e.stopPropagation();
              setText(value);
              setProblem(null);
            }
          }}
          data-testid={testid}
        />
      </label>
      {problem && (
        <span className="field-error" id={errorId} role="alert" data-testid={`${testid}-error`}>
          {problem}
        </span>
      )}
    </span>
  );
}
