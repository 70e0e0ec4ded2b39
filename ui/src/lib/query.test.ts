import { describe, expect, it, vi } from "vitest";

import type { Column } from "../api";
import { formatHash, parseHash } from "../app/route";
import { WITHIN_DAYS_COLUMN, chipValue, toQuery, withChip, type Chip } from "./query";
import { setZone } from "./timeZone";

const col = (name: string, kind: Column["kind"]): Column => ({
  name,
  kind,
  nullable: true,
  sortable: false,
  sensitive: false,
  masking: "clear",
});
const COLUMNS = [col("id", "int"), col("success", "bool"), col("email", "text"), col("created_at", "timestamp")];

describe("filter chips → list_rows query", () => {
  it("carries the N of 'active within N days' as a parameter, not a filter", () => {
    const chips: Chip[] = [
      { column: "success", op: "eq", value: "true" },
      { column: WITHIN_DAYS_COLUMN, op: "eq", value: "7" },
    ];
    const q = toQuery(chips, null, [...COLUMNS, col("active", "bool")]);
    expect(q).toMatchObject({ filters: [{ column: "success", op: "eq", value: true }], within_days: 7 });
    // absent (or not a whole number): left to the backend's default
    expect(toQuery([], null, COLUMNS)).not.toHaveProperty("within_days");
    expect(toQuery([{ column: WITHIN_DAYS_COLUMN, op: "eq", value: "x" }], null, COLUMNS)).not.toHaveProperty("within_days");
  });

  it("types values by column kind and drops the value of null checks", () => {
    const chips: Chip[] = [
      { column: "id", op: "gt", value: "42" },
      { column: "success", op: "eq", value: "false" },
      { column: "email", op: "contains", value: "Smith" },
      { column: "created_at", op: "gte", value: "2026-11-01" },
      { column: "email", op: "is_null", value: "ignored" },
    ];
    const q = toQuery(chips, { column: "created_at", descending: true }, COLUMNS, "cur", 50);
    expect(q).toEqual({
      filters: [
        { column: "id", op: "gt", value: 42 },
        { column: "success", op: "eq", value: false },
        { column: "email", op: "contains", value: "Smith" },
        // a bare day is that day in the chosen zone (local time, UTC in these tests)
        { column: "created_at", op: "gte", value: "2026-11-01T00:00:00.000Z" },
        { column: "email", op: "is_null" },
      ],
      sort: { column: "created_at", descending: true },
      limit: 50,
      cursor: "cur",
    });
  });

  it("reads a bare day on a time column as that whole day in the chosen zone", () => {
    const day = (op: Chip["op"], value: string) => toQuery([{ column: "created_at", op, value }], null, COLUMNS).filters?.at(0);
    vi.stubEnv("TZ", "America/New_York");
    try {
      // New York: summer time ends on 1 Nov 2026, so that day starts at 04:00 UTC and the 25th at 05:00
      expect(day("gte", "2026-11-01")).toEqual({ column: "created_at", op: "gte", value: "2026-11-01T04:00:00.000Z" });
      expect(day("lte", "2026-11-24")).toEqual({ column: "created_at", op: "lt", value: "2026-11-25T05:00:00.000Z" });
      expect(day("gt", "2026-11-24")).toEqual({ column: "created_at", op: "gte", value: "2026-11-25T05:00:00.000Z" });
      expect(day("lt", "2026-11-24")).toEqual({ column: "created_at", op: "lt", value: "2026-11-24T05:00:00.000Z" });
      setZone("utc");
      expect(day("lte", "2026-11-24")).toEqual({ column: "created_at", op: "lt", value: "2026-11-25T00:00:00.000Z" });
      // an instant, and a day with an operator that has no day meaning, go as typed
      expect(day("lte", "2026-11-24T10:00:00Z")).toEqual({ column: "created_at", op: "lte", value: "2026-11-24T10:00:00Z" });
      expect(day("eq", "2026-11-24")).toEqual({ column: "created_at", op: "eq", value: "2026-11-24" });
    } finally {
      setZone("local");
      vi.unstubAllEnvs();
    }
  });

  it("leaves a non-numeric value for an int column as text, for the backend to reject clearly", () => {
    const q = toQuery([{ column: "id", op: "eq", value: "abc" }], null, COLUMNS);
    expect(q.filters).toEqual([{ column: "id", op: "eq", value: "abc" }]);
  });
});

describe("hash route", () => {
  it("round-trips screen, chips (with separators and spaces in values) and sort", () => {
    const route = {
      screen: "audit",
      chips: [
        { column: "user_agent", op: "contains", value: "whodis-admin/" },
        { column: "message", op: "contains", value: "a~b c&d" },
      ] as Chip[],
      sort: { column: "created_at", descending: false },
    };
    const hash = formatHash(route);
    expect(hash.startsWith("#/audit?")).toBe(true);
    expect(parseHash(hash)).toEqual(route);
  });

  it("ignores unknown operators and defaults to the dashboard", () => {
    expect(parseHash("#/users?f=role~like~x")).toEqual({ screen: "users", chips: [], sort: null });
    expect(parseHash("")).toEqual({ screen: "dashboard", chips: [], sort: null });
  });
});

describe("chips owned by a control", () => {
  const a: Chip = { column: "role", op: "eq", value: "admin" };
  const b: Chip = { column: "email", op: "contains", value: "corp" };

  it("sets a chip where it was, appends a new one, and removes it with null", () => {
    expect(withChip([a, b], "role", "eq", "viewer")).toEqual([{ ...a, value: "viewer" }, b]);
    expect(withChip([b], "role", "eq", "viewer")).toEqual([b, { ...a, value: "viewer" }]);
    expect(withChip([a, b], "role", "eq", null)).toEqual([b]);
    // another operator on the same column is a different chip
    expect(withChip([a], "role", "ne", "viewer")).toEqual([a, { column: "role", op: "ne", value: "viewer" }]);
  });

  it("reads a chip's value, empty when absent", () => {
    expect(chipValue([a, b], "email", "contains")).toBe("corp");
    expect(chipValue([a, b], "email", "eq")).toBe("");
  });
});
