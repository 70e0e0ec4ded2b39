import { describe, expect, it } from "vitest";

import type { ColumnSummary, TableSummary } from "../../api";
import { editableColumns, insertableColumns, keyOf, newRowValues, parseInput, placeholderOf, toInput } from "./rowEditing";

const column = (name: string, kind: ColumnSummary["kind"], extra: Partial<ColumnSummary> = {}): ColumnSummary => ({
  name,
  kind,
  sql_type: kind,
  nullable: true,
  sortable: false,
  badges: [],
  references: null,
  default: null,
  ...extra,
});

const summary = {
  name: "users",
  columns: [
    column("id", "text", { nullable: false }),
    column("email", "text", { nullable: false }),
    column("hashed_password", "text", { badges: ["secret"] }),
    column("session_id", "text", { badges: ["prefix"] }),
    column("avatar", "bytes"),
    column("is_active", "bool"),
  ],
  primary_key: ["id"],
} as unknown as TableSummary;

describe("the explorer's row editor", () => {
  it("offers neither the key, secrets, masked values nor bytes", () => {
    expect(editableColumns(summary).map((c) => c.name)).toEqual(["email", "is_active"]);
  });

  it("parses each kind, refusing what the column cannot hold", () => {
    expect(parseInput(column("n", "int"), " 42 ")).toEqual({ ok: true, value: 42 });
    expect(parseInput(column("n", "int"), "4.5").ok).toBe(false);
    expect(parseInput(column("n", "int"), "99999999999999999999").ok).toBe(false);
    // decimals travel as text, every digit kept
    expect(parseInput(column("d", "number"), "0.10000000000000000001")).toEqual({ ok: true, value: "0.10000000000000000001" });
    expect(parseInput(column("d", "number"), "ten").ok).toBe(false);
    expect(parseInput(column("b", "bool"), "false")).toEqual({ ok: true, value: false });
    expect(parseInput(column("t", "timestamp"), "2026-12-01T10:00:00Z").ok).toBe(true);
    expect(parseInput(column("t", "timestamp"), "next week").ok).toBe(false);
    expect(parseInput(column("j", "json"), '{"a": [1, 2]}')).toEqual({ ok: true, value: { a: [1, 2] } });
    const bad = parseInput(column("j", "json"), "{a: 1}");
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/not valid JSON/);
  });

  it("reads an empty input as NULL where allowed, and refuses it where not", () => {
    expect(parseInput(column("n", "int"), "")).toEqual({ ok: true, value: null });
    expect(parseInput(column("n", "int", { nullable: false }), "").ok).toBe(false);
    expect(parseInput(column("s", "text", { nullable: false }), "")).toEqual({ ok: true, value: "" });
  });

  it("shows JSON indented and NULL as empty, and keys a row by its primary key", () => {
    expect(toInput({ a: 1 })).toBe('{\n  "a": 1\n}');
    expect(toInput(null)).toBe("");
    expect(keyOf(summary, { id: "user005", email: "a@b" })).toEqual({ id: "user005" });
  });

  it("leaves empty inputs of a new row to the database, naming its default, and parses the rest", () => {
    const table = {
      ...summary,
      columns: [column("id", "int", { nullable: false }), column("role", "text", { nullable: false, default: "'viewer'" }), column("n", "int")],
    } as unknown as TableSummary;
    const columns = insertableColumns(table);
    expect(placeholderOf(table, columns[0])).toBe("numbered by the database");
    expect(placeholderOf(table, columns[1])).toBe("default: 'viewer'");
    expect(newRowValues(columns, { id: "", role: "admin", n: "7" })).toEqual({ values: { role: "admin", n: 7 }, problems: {} });
    expect(Object.keys(newRowValues(columns, { n: "seven" }).problems)).toEqual(["n"]);
    expect(insertableColumns(summary).map((c) => c.name)).not.toContain("avatar");
  });
});
