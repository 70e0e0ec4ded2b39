// The table's quick search: every shown text column at once, as a chip like any filter
// (lib/query's search chip). Ctrl/Cmd+F anywhere on the screen puts the cursor in it.
import { useEffect, useRef } from "react";

import { searchOf, withSearch, type Chip } from "../../lib/query";
import { TypingInput } from "../TypingInput";

interface Props {
  chips: Chip[];
  onChange: (chips: Chip[]) => void;
}

export function QuickSearch({ chips, onChange }: Props) {
  const input = useRef<HTMLInputElement | null>(null);
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === "f") {
        e.preventDefault();
        input.current?.focus();
        input.current?.select();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  return (
    <span className="quick-search" title="Rows where any text column contains this (Ctrl+F)">
      <TypingInput
        label="Search"
        placeholder="Search… (Ctrl+F)"
        current={searchOf(chips)}
        onSet={(text) => onChange(withSearch(chips, text))}
        testid="quick-search"
        inputRef={input}
      />
    </span>
  );
}
