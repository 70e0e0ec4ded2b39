import { afterEach, describe, expect, it, vi } from "vitest";

import { chipLabel } from "../components/DataTable/FilterBar";
import { currentZone, dayStart, formatInstant, humanDay, setZone, zoneName } from "./timeZone";

afterEach(() => {
  setZone("local");
  vi.unstubAllEnvs();
});

describe("the time setting", () => {
  it("shows stored instants in local time by default, or in UTC, and names the zone", () => {
    vi.stubEnv("TZ", "America/New_York");
    const stored = "2026-11-24T10:11:12.123456Z";
    expect(currentZone()).toBe("local");
    expect(formatInstant(stored)).toBe("2026-11-24 05:11:12");
    expect(formatInstant("2026-11-24T10:11:12+00:00")).toBe("2026-11-24 05:11:12");
    expect(zoneName("local", new Date(stored))).toBe("local time (UTC-05:00)");
    // summer time: the offset named is the one of the moment
    expect(zoneName("local", new Date("2026-07-01T12:00:00Z"))).toBe("local time (UTC-04:00)");
    setZone("utc");
    expect(formatInstant(stored)).toBe("2026-11-24 10:11:12");
    expect(zoneName()).toBe("UTC");
    expect(localStorage.getItem("whodis.timeZone")).toBe("utc");
    expect(formatInstant("not a time")).toBe("not a time");
  });

  it("turns a day into the instants it starts and ends at, and reads it for chips", () => {
    vi.stubEnv("TZ", "Europe/Berlin");
    expect(dayStart("2026-11-30")).toBe("2026-11-29T23:00:00.000Z");
    expect(dayStart("2026-11-30", "local", true)).toBe("2026-11-30T23:00:00.000Z");
    expect(dayStart("2026-11-30", "utc")).toBe("2026-11-30T00:00:00.000Z");
    expect(dayStart("30/11/2026")).toBeNull();
    expect(humanDay("2026-11-30")).toBe("30 Nov 2026");
    // the last day of a month still ends at the next month's first
    expect(dayStart("2026-12-31", "utc", true)).toBe("2027-01-01T00:00:00.000Z");
  });

  it("refuses a day that is not in the calendar instead of rolling it over", () => {
    for (const day of ["2026-13-01", "2026-02-30", "2026-02-29", "2026-00-10", "2026-04-31", "2026-01-00"]) {
      expect(dayStart(day), day).toBeNull();
      expect(dayStart(day, "utc", true), day).toBeNull();
      expect(humanDay(day), day).toBeNull();
    }
    expect(dayStart("2028-02-29", "utc")).toBe("2028-02-29T00:00:00.000Z");
  });
});

describe("chips on time columns", () => {
  const created = { name: "created_at", kind: "timestamp", nullable: false, sortable: true, sensitive: false, masking: "clear" } as const;
  it("read as words for a day, and in the chosen zone for an instant", () => {
    expect(chipLabel({ column: "created_at", op: "gte", value: "2026-11-01" }, created)).toBe("created_at from 1 Nov 2026");
    expect(chipLabel({ column: "created_at", op: "lte", value: "2026-11-24" }, created)).toBe("created_at until 24 Nov 2026");
    expect(chipLabel({ column: "created_at", op: "gt", value: "2026-11-24" }, created)).toBe("created_at after 24 Nov 2026");
    setZone("utc");
    expect(chipLabel({ column: "created_at", op: "lte", value: "2026-11-24T23:59:59.999999Z" }, created)).toBe(
      "created_at ≤ 2026-11-24 23:59:59",
    );
    expect(chipLabel({ column: "message", op: "contains", value: "2026-11-24" }, undefined)).toBe("message contains 2026-11-24");
    expect(chipLabel({ column: "message", op: "is_null", value: "" }, undefined)).toBe("message is empty");
  });
});
