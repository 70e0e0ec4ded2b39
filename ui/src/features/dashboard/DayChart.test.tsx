import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { DayChart } from "./DayChart";

describe("audit chart", () => {
  it("draws one bar per day, scaled to the busiest, with the totals", () => {
    const days = [
      { day: "2026-11-22", count: 0 },
      { day: "2026-11-23", count: 50 },
      { day: "2026-11-24", count: 100 },
    ];
    const { container } = render(<DayChart days={days} />);
    const heights = [...container.querySelectorAll("rect")].map((r) => Number(r.getAttribute("height")));
    expect(heights).toEqual([0, 39, 78]);
    expect(screen.getByRole("img").getAttribute("aria-label")).toBe("150 audit events in 3 days");
    expect(screen.getByText(/2026-11-22 – 2026-11-24 · 150 events · busiest day 100/)).toBeTruthy();
  });
});
