import { describe, expect, it } from "vitest";

import { formatCell, formatTotal } from "./format";

describe("totals say how exact they are", () => {
  it("formats exact, estimated and lower-bound totals", () => {
    expect(formatTotal({ value: 1, kind: "exact" })).toBe("1 row");
    expect(formatTotal({ value: 1234, kind: "exact" })).toBe("1,234 rows");
    expect(formatTotal({ value: 1_234_567, kind: "estimate" })).toBe("≈ 1.2M rows");
    expect(formatTotal({ value: 10_000, kind: "at_least" })).toBe("≥ 10,000 rows");
  });
});

describe("cells", () => {
  it("shortens timestamps and renders booleans, nulls and JSON", () => {
    expect(formatCell("2026-11-24T10:11:12.123456Z")).toBe("2026-11-24 10:11:12");
    expect(formatCell(true)).toBe("yes");
    expect(formatCell(null)).toBe("");
    expect(formatCell({ a: 1 })).toBe('{"a":1}');
  });
});
