// The filter bar's typed chips: a value for a time column must name a day of the calendar; one
// that does not is refused with a message under the box and adds no chip.
import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import type { Column } from "../../api";
import { FilterBar } from "./FilterBar";

const column = (name: string, kind: string) =>
  ({ name, kind, nullable: false, sortable: true, sensitive: false }) as unknown as Column;
const COLUMNS = [column("created_at", "timestamp"), column("message", "text")];

function renderBar() {
  const onChange = vi.fn();
  render(<FilterBar columns={COLUMNS} chips={[]} onChange={onChange} />);
  const type = (value: string) => fireEvent.change(screen.getByTestId("filter-value"), { target: { value } });
  const op = (value: string) => fireEvent.change(screen.getByLabelText("Filter operator"), { target: { value } });
  const add = () => fireEvent.click(screen.getByText("Add filter"));
  return { onChange, type, op, add };
}

describe("typed day chips", () => {
  it("refuses a day that is not in the calendar, saying why, and adds no chip", () => {
    const { onChange, type, op, add } = renderBar();
    op("gte");
    for (const [typed, why] of [
      ["2026-13-01", "2026-13-01 is not a date: there is no month 13"],
      ["2026-02-30", "2026-02-30 is not a date: February 2026 has 28 days"],
      ["2026-02-30T08:00:00Z", "2026-02-30 is not a date: February 2026 has 28 days"],
      ["11/30/2026", "Write the day as YYYY-MM-DD (e.g. 2026-11-30), not “11/30/2026”"],
    ]) {
      type(typed);
      add();
      expect(screen.getByTestId("filter-value-error").textContent).toBe(why);
      expect(screen.getByTestId("filter-value").getAttribute("aria-invalid")).toBe("true");
      // the typed text stays, to be corrected
      expect((screen.getByTestId("filter-value") as HTMLInputElement).value).toBe(typed);
    }
    expect(onChange).not.toHaveBeenCalled();

    // typing again clears the message; a real day is added
    type("2026-02-28");
    expect(screen.queryByTestId("filter-value-error")).toBeNull();
    add();
    expect(onChange).toHaveBeenCalledWith([{ column: "created_at", op: "gte", value: "2026-02-28" }]);
    expect(screen.queryByTestId("filter-value-error")).toBeNull();
  });

  it("leaves other columns and a time's contains to the text as typed", () => {
    const { onChange, type, op, add } = renderBar();
    op("contains");
    type("2026-13");
    add();
    expect(onChange).toHaveBeenLastCalledWith([{ column: "created_at", op: "contains", value: "2026-13" }]);
    fireEvent.change(screen.getByLabelText("Filter column"), { target: { value: "message" } });
    op("eq");
    type("2026-13-01");
    add();
    expect(onChange).toHaveBeenLastCalledWith([{ column: "message", op: "eq", value: "2026-13-01" }]);
    expect(screen.queryByTestId("filter-value-error")).toBeNull();
  });
});
