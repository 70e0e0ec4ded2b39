import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, it } from "vitest";

import type { Column } from "../../api";
import { toQuery, type Chip } from "../../lib/query";
import { TYPING_MS } from "../../components/TypingInput";
import { QuickFilters } from "./QuickFilters";
import { FROM, SUCCESS, TO, email, text } from "./quickFilters";

const FILTERS = [
  text("message", "Search message", "contains"),
  text("user_email", "User email"),
  email("reporter", "Reporter"),
  SUCCESS,
  FROM,
  TO,
];
const col = (name: string, kind: Column["kind"]): Column => ({ name, kind, nullable: true, sortable: false, sensitive: false, masking: "clear" });
const COLUMNS = [col("message", "text"), col("user_email", "text"), col("success", "bool"), col("created_at", "timestamp")];

/** Holds the chips as the route would, and exposes the latest for assertions. */
function Harness({ initial, seen }: { initial: Chip[]; seen: Chip[][] }) {
  const [chips, setChips] = useState(initial);
  return (
    <QuickFilters
      filters={FILTERS}
      chips={chips}
      onChange={(next) => {
        seen.push(next);
        setChips(next);
      }}
    />
  );
}

const latest = (seen: Chip[][]) => seen[seen.length - 1];

describe("log quick filters", () => {
  it("turn each control into its own chip, typed by the list query", () => {
    const seen: Chip[][] = [];
    const manual: Chip = { column: "event_type", op: "eq", value: "admin" };
    render(<Harness initial={[manual]} seen={seen} />);

    const email = screen.getByTestId("quick-user_email");
    fireEvent.change(email, { target: { value: " ed@corp.test " } });
    fireEvent.submit(email.closest("form")!);
    fireEvent.change(screen.getByTestId("quick-success"), { target: { value: "false" } });
    fireEvent.change(screen.getByTestId("quick-from"), { target: { value: "2026-11-01" } });
    fireEvent.change(screen.getByTestId("quick-to"), { target: { value: "2026-11-24" } });

    expect(toQuery(latest(seen), null, COLUMNS).filters).toEqual([
      { column: "event_type", op: "eq", value: "admin" },
      { column: "user_email", op: "eq", value: "ed@corp.test" },
      { column: "success", op: "eq", value: false },
      { column: "created_at", op: "gte", value: "2026-11-01T00:00:00.000Z" },
      // "To" includes the whole day (in the chosen zone: local time, UTC in these tests)
      { column: "created_at", op: "lt", value: "2026-11-25T00:00:00.000Z" },
    ]);
    // the date inputs show the bare day back
    expect((screen.getByTestId("quick-to") as HTMLInputElement).value).toBe("2026-11-24");
  });

  it("clearing a control removes only its chip", () => {
    const seen: Chip[][] = [];
    const initial: Chip[] = [
      { column: "message", op: "contains", value: "timeout" },
      { column: "success", op: "eq", value: "true" },
    ];
    render(<Harness initial={initial} seen={seen} />);
    const search = screen.getByTestId("quick-message") as HTMLInputElement;
    expect(search.value).toBe("timeout");
    fireEvent.change(search, { target: { value: "" } });
    fireEvent.blur(search);
    expect(latest(seen)).toEqual([{ column: "success", op: "eq", value: "true" }]);
    expect((screen.getByTestId("quick-success") as HTMLSelectElement).value).toBe("true");
  });

  it("follows chips changed elsewhere (chip bar, back/forward)", () => {
    const { rerender } = render(<QuickFilters filters={FILTERS} chips={[]} onChange={() => {}} />);
    const chips: Chip[] = [{ column: "user_email", op: "eq", value: "a@corp.test" }];
    rerender(<QuickFilters filters={FILTERS} chips={chips} onChange={() => {}} />);
    expect((screen.getByTestId("quick-user_email") as HTMLInputElement).value).toBe("a@corp.test");
  });

  it("does not report a change when a text box loses focus unchanged", () => {
    const seen: Chip[][] = [];
    render(<Harness initial={[]} seen={seen} />);
    fireEvent.blur(screen.getByTestId("quick-user_email"));
    expect(seen).toEqual([]);
  });

  it("applies a text filter a moment after the last key press, keeping the text being typed", async () => {
    const seen: Chip[][] = [];
    render(<Harness initial={[]} seen={seen} />);
    const search = screen.getByTestId("quick-message") as HTMLInputElement;
    search.focus();
    fireEvent.change(search, { target: { value: "time" } });
    fireEvent.change(search, { target: { value: "timeout" } });
    expect(seen).toEqual([]);
    await waitFor(() => expect(latest(seen)).toEqual([{ column: "message", op: "contains", value: "timeout" }]), {
      timeout: TYPING_MS + 1000,
    });
    expect(seen).toHaveLength(1);
    expect(search.value).toBe("timeout");
    expect(document.activeElement).toBe(search);
  });

  it("refuses a From after To, saying so, and keeps the range it had", () => {
    const seen: Chip[][] = [];
    render(<Harness initial={[{ column: "created_at", op: "lte", value: "2026-11-10" }]} seen={seen} />);
    fireEvent.change(screen.getByTestId("quick-from"), { target: { value: "2026-11-20" } });
    expect(screen.getByTestId("range-error").textContent).toBe("From (2026-11-20) is after To (2026-11-10)");
    expect(seen).toEqual([]);
    fireEvent.change(screen.getByTestId("quick-from"), { target: { value: "2026-11-01" } });
    expect(screen.queryByTestId("range-error")).toBeNull();
    expect(latest(seen)).toEqual([
      { column: "created_at", op: "lte", value: "2026-11-10" },
      { column: "created_at", op: "gte", value: "2026-11-01" },
    ]);
  });

  it("matches a whole email exactly and part of one by contains, in one box", () => {
    const seen: Chip[][] = [];
    render(<Harness initial={[]} seen={seen} />);
    const box = screen.getByTestId("quick-reporter");
    fireEvent.change(box, { target: { value: "linus.easley" } });
    fireEvent.submit(box.closest("form")!);
    expect(latest(seen)).toEqual([{ column: "reporter", op: "contains", value: "linus.easley" }]);
    fireEvent.change(box, { target: { value: "linus.easley40@corp.test" } });
    fireEvent.submit(box.closest("form")!);
    expect(latest(seen)).toEqual([{ column: "reporter", op: "eq", value: "linus.easley40@corp.test" }]);
    expect((box as HTMLInputElement).value).toBe("linus.easley40@corp.test");
  });

  it("takes days as YYYY-MM-DD text: refuses 2026-13-01 with a message, applies 2026-11-30 as that whole day", () => {
    const seen: Chip[][] = [];
    render(<Harness initial={[]} seen={seen} />);
    const to = screen.getByTestId("quick-to") as HTMLInputElement;
    // a text box in ISO order, not the locale's date picker
    expect(to.type).toBe("text");
    expect(to.placeholder).toBe("YYYY-MM-DD");
    fireEvent.change(to, { target: { value: "2026-13-01" } });
    expect(screen.getByTestId("quick-to-error").textContent).toBe("2026-13-01 is not a date: there is no month 13");
    expect(to.getAttribute("aria-invalid")).toBe("true");
    fireEvent.keyDown(to, { key: "Enter" });
    fireEvent.blur(to);
    expect(seen).toEqual([]);
    // half typed: nothing applied, no complaint yet; left like that, it says how to write it
    fireEvent.change(to, { target: { value: "2026-11-3" } });
    expect(screen.queryByTestId("quick-to-error")).toBeNull();
    fireEvent.blur(to);
    expect(screen.getByTestId("quick-to-error").textContent).toMatch(/YYYY-MM-DD/);
    expect(seen).toEqual([]);
    fireEvent.change(to, { target: { value: "2026-11-30" } });
    expect(screen.queryByTestId("quick-to-error")).toBeNull();
    expect(to.getAttribute("aria-invalid")).toBe("false");
    expect(latest(seen)).toEqual([{ column: "created_at", op: "lte", value: "2026-11-30" }]);
    // the whole of the 30th, in the chosen zone (UTC in these tests)
    expect(toQuery(latest(seen), null, COLUMNS).filters).toEqual([
      { column: "created_at", op: "lt", value: "2026-12-01T00:00:00.000Z" },
    ]);
    // emptied: the filter goes
    fireEvent.change(to, { target: { value: "" } });
    fireEvent.blur(to);
    expect(latest(seen)).toEqual([]);
  });

  it("refuses days the month does not have, and Escape puts back the applied day", () => {
    const seen: Chip[][] = [];
    render(<Harness initial={[{ column: "created_at", op: "gte", value: "2026-11-01" }]} seen={seen} />);
    const from = screen.getByTestId("quick-from") as HTMLInputElement;
    expect(from.value).toBe("2026-11-01");
    fireEvent.change(from, { target: { value: "2026-02-29" } });
    expect(screen.getByTestId("quick-from-error").textContent).toBe("2026-02-29 is not a date: February 2026 has 28 days");
    fireEvent.keyDown(from, { key: "Escape" });
    expect(from.value).toBe("2026-11-01");
    expect(screen.queryByTestId("quick-from-error")).toBeNull();
    expect(seen).toEqual([]);
  });
});
