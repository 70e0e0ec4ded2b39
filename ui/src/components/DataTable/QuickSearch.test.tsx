import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, it } from "vitest";

import { SEARCH_COLUMN, toQuery, withSearch, type Chip } from "../../lib/query";
import { TYPING_MS } from "../TypingInput";
import { chipLabel } from "./FilterBar";
import { QuickSearch } from "./QuickSearch";

function Harness({ initial, seen }: { initial: Chip[]; seen: Chip[][] }) {
  const [chips, setChips] = useState(initial);
  return (
    <>
      <button>elsewhere</button>
      <QuickSearch
        chips={chips}
        onChange={(next) => {
          seen.push(next);
          setChips(next);
        }}
      />
    </>
  );
}

const EVENT: Chip = { column: "event_type", op: "eq", value: "search" };

describe("quick search", () => {
  it("applies a pause after typing, as a chip beside the filters, and the query carries it", async () => {
    const seen: Chip[][] = [];
    render(<Harness initial={[EVENT]} seen={seen} />);
    fireEvent.change(screen.getByTestId("quick-search"), { target: { value: "Linus" } });
    expect(seen).toHaveLength(0);
    await waitFor(() => expect(seen).toHaveLength(1), { timeout: TYPING_MS + 1000 });
    const chips = seen[0];
    expect(chips).toEqual([EVENT, { column: SEARCH_COLUMN, op: "contains", value: "Linus" }]);
    const query = toQuery(chips, null, []);
    expect(query.search).toBe("Linus");
    expect(query.filters).toEqual([{ column: "event_type", op: "eq", value: "search" }]);
    expect(chipLabel(chips[1], undefined)).toBe("search “Linus”");
  });

  it("is focused by Ctrl+F and cleared by Escape", async () => {
    const seen: Chip[][] = [];
    render(<Harness initial={withSearch([], "old")} seen={seen} />);
    const box = screen.getByTestId("quick-search");
    expect(box).toHaveProperty("value", "old");
    screen.getByText("elsewhere").focus();
    fireEvent.keyDown(window, { key: "f", ctrlKey: true });
    expect(document.activeElement).toBe(box);
    fireEvent.keyDown(box, { key: "Escape" });
    await waitFor(() => expect(seen.at(-1)).toEqual([]));
    expect(toQuery(seen.at(-1) ?? [], null, []).search).toBeUndefined();
  });
});
