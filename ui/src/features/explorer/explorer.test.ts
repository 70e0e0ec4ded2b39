import { describe, expect, it } from "vitest";

import type { TableSummary } from "../../api";
import { parseHash } from "../../app/route";
import { screenById } from "../../app/screens";
import { exploredTable, matchTables, tableHref } from "./explorer";

const table = (name: string, columns: string[]): TableSummary =>
  ({
    name,
    columns: columns.map((c) => ({ name: c })),
    primary_key: ["id"],
    indexes: [],
    foreign_keys: [],
    referenced_by: [],
    badges: [],
    row_estimate: 0,
    whodis_model: false,
  }) as unknown as TableSummary;

describe("explorer routes", () => {
  it("names an explored table by its route and nothing else", () => {
    expect(exploredTable("table/usage_logs")).toBe("usage_logs");
    expect(exploredTable("table/")).toBeUndefined();
    expect(exploredTable("users")).toBeUndefined();
  });

  it("links to a table's rows filtered by a foreign key, and back to its screen", () => {
    const href = tableHref("departments", "id", 3);
    const route = parseHash(href);
    expect(route.screen).toBe("table/departments");
    expect(route.chips).toEqual([{ column: "id", op: "eq", value: "3" }]);
    expect(screenById(route.screen)).toMatchObject({ label: "departments", group: "Tables" });
  });

  it("finds tables by their name or a column's", () => {
    const all = [table("users", ["id", "email"]), table("files", ["id", "user_id", "filename"])];
    expect(matchTables(all, "file").map((t) => t.name)).toEqual(["files"]);
    expect(matchTables(all, "email").map((t) => t.name)).toEqual(["users"]);
    expect(matchTables(all, "id user").map((t) => t.name)).toEqual(["users", "files"]);
    expect(matchTables(all, "")).toHaveLength(2);
  });
});
