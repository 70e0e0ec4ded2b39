import { describe, expect, it } from "vitest";

import { dayProblem, isCompleteDay, timeValueProblem } from "./isoDay";

describe("ISO days", () => {
  it("accepts calendar days as YYYY-MM-DD, and nothing (a cleared box)", () => {
    for (const day of ["2026-11-30", "2024-02-29", "2026-01-01", "2026-12-31", " 2026-11-30 ", ""]) expect(dayProblem(day)).toBeNull();
    expect(isCompleteDay("2026-11-30")).toBe(true);
    expect(isCompleteDay("2026-11-3")).toBe(false);
    expect(isCompleteDay("")).toBe(false);
  });

  it("says what is wrong with anything else", () => {
    expect(dayProblem("2026-13-01")).toBe("2026-13-01 is not a date: there is no month 13");
    expect(dayProblem("2026-00-10")).toBe("2026-00-10 is not a date: there is no month 00");
    expect(dayProblem("2026-11-31")).toBe("2026-11-31 is not a date: November 2026 has 30 days");
    expect(dayProblem("2025-02-29")).toBe("2025-02-29 is not a date: February 2025 has 28 days");
    expect(dayProblem("2026-11-00")).toBe("2026-11-00 is not a date: November 2026 has 30 days");
    expect(dayProblem("11/30/2026")).toBe("Write the day as YYYY-MM-DD (e.g. 2026-11-30), not “11/30/2026”");
    expect(isCompleteDay("2026-13-01")).toBe(false);
  });

  it("checks the day of a value typed for a time column", () => {
    for (const value of ["2026-11-30", "2026-11-30T10:11:12Z", "2026-11-30 10:11", " 2028-02-29 "]) expect(timeValueProblem(value)).toBeNull();
    expect(timeValueProblem("2026-13-01")).toBe("2026-13-01 is not a date: there is no month 13");
    expect(timeValueProblem("2026-02-30T08:00:00Z")).toBe("2026-02-30 is not a date: February 2026 has 28 days");
    expect(timeValueProblem("11/30/2026")).toBe("Write the day as YYYY-MM-DD (e.g. 2026-11-30), not “11/30/2026”");
  });
});
