import { describe, expect, it } from "vitest";

import { rowAsTsv, rowsAsCsv } from "./copyRows";

describe("copying rows", () => {
  it("copies a row as tab-separated values of the given columns, in their order, on one line", () => {
    const row = { id: 8, email: "ann@corp.test", note: "two\tparts\nand a line", active: true, created_at: "2026-11-24T10:00:00Z" };
    expect(rowAsTsv(row, ["email", "id", "note", "active", "created_at"])).toBe(
      "ann@corp.test\t8\ttwo parts and a line\tyes\t2026-11-24 10:00:00",
    );
  });

  it("quotes CSV fields per RFC 4180 and defuses formulas, leaving negative numbers alone", () => {
    const rows = [
      { id: 1, message: 'said "hi", left', data: { a: 1 } },
      { id: -2, message: "=HYPERLINK(1)", data: null },
      { id: 3, message: "line\r\nbreak", data: [1, 2] },
    ];
    expect(rowsAsCsv(rows, ["id", "message", "data"])).toBe(
      'id,message,data\r\n1,"said ""hi"", left","{""a"":1}"\r\n-2,\'=HYPERLINK(1),\r\n3,"line\r\nbreak","[1,2]"\r\n',
    );
  });
});
