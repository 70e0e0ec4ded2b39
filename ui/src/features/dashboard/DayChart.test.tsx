import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { DayChart, valueTicks } from "./DayChart";

describe("audit chart", () => {
  it("draws one bar per day, scaled to the axis' top tick, with the totals", () => {
    const days = [
      { day: "2026-11-22", count: 0 },
      { day: "2026-11-23", count: 50 },
      { day: "2026-11-24", count: 100 },
    ];
    const { container } = render(<DayChart days={days} />);
    const heights = [...container.querySelectorAll("rect")].map((r) => Number(r.getAttribute("height")));
    // the plot is 100 units tall and the axis ends at 100
    expect(heights).toEqual([0, 50, 100]);
    expect([...container.querySelectorAll("rect")].map((r) => r.getAttribute("data-tip"))).toEqual([
      "2026-11-22: 0",
      "2026-11-23: 50",
      "2026-11-24: 100",
    ]);
    expect(screen.getByRole("img").getAttribute("aria-label")).toBe("150 audit events in 3 days");
    expect(screen.getByText(/2026-11-22 – 2026-11-24 \(UTC days\) · 150 events · busiest day 100/)).toBeTruthy();
  });

  it("labels the value axis with round ticks and the days under the bars", () => {
    const days = Array.from({ length: 30 }, (_, i) => ({
      day: `2026-11-${String(i + 1).padStart(2, "0")}`,
      count: i === 10 ? 1234 : 40,
    }));
    render(<DayChart days={days} />);
    const values = within(screen.getByTestId("chart-value-axis"));
    expect(values.getByText("events")).toBeTruthy();
    const ticks = values.getAllByText(/^[\d,]+$/).map((t) => t.textContent);
    expect(ticks).toEqual(["0", "500", "1,000", "1,500"]);
    const dayLabels = screen
      .getByTestId("chart-day-axis")
      .querySelectorAll("text");
    const labels = [...dayLabels].map((t) => t.textContent);
    expect(labels[0]).toBe("1 Nov");
    expect(labels[labels.length - 1]).toBe("30 Nov");
    expect(labels.length).toBeGreaterThanOrEqual(4);
    expect(labels.length).toBeLessThanOrEqual(7);
  });

  it("picks whole, round steps up to the busiest day", () => {
    expect(valueTicks(0)).toEqual([0, 1]);
    expect(valueTicks(2)).toEqual([0, 1, 2]);
    expect(valueTicks(7)).toEqual([0, 5, 10]);
    expect(valueTicks(100)).toEqual([0, 50, 100]);
    expect(valueTicks(101)).toEqual([0, 50, 100, 150]);
    expect(valueTicks(1234)).toEqual([0, 500, 1000, 1500]);
  });
});
