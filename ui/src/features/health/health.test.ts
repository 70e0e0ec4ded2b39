import { describe, expect, it } from "vitest";

import type { TableHealth } from "../../api";
import { exactBytes, formatBytes } from "../../lib/format";
import { lastRun, sortTables } from "./health";

function table(name: string, table_bytes: number | null, index_bytes: number | null, live_rows: number | null): TableHealth {
  return {
    name,
    table_bytes,
    index_bytes,
    live_rows,
    dead_rows: null,
    last_vacuum: null,
    last_autovacuum: null,
    last_analyze: null,
    last_autoanalyze: null,
    indexes: [],
  };
}

describe("formatBytes", () => {
  it("uses binary units with one decimal below ten", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1023)).toBe("1023 B");
    expect(formatBytes(1024)).toBe("1 KiB");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(8192)).toBe("8 KiB");
    expect(formatBytes(123 * 1024)).toBe("123 KiB");
    expect(formatBytes(5 * 1024 * 1024 + 300 * 1024)).toBe("5.3 MiB");
    expect(formatBytes(3 * 1024 ** 3)).toBe("3 GiB");
  });

  it("never shows 1024 of a unit", () => {
    expect(formatBytes(1024 * 1024 - 1)).toBe("1 MiB");
  });

  it("gives the exact count on hover", () => {
    expect(exactBytes(1234567)).toBe("1,234,567 bytes");
  });
});

describe("lastRun", () => {
  it("takes the later of manual and automatic", () => {
    expect(lastRun(null, null)).toBeNull();
    expect(lastRun("2026-01-01T00:00:00Z", null)).toEqual({ at: "2026-01-01T00:00:00Z", auto: false });
    expect(lastRun(null, "2026-01-01T00:00:00Z")).toEqual({ at: "2026-01-01T00:00:00Z", auto: true });
    expect(lastRun("2026-01-02T00:00:00Z", "2026-01-01T00:00:00Z")?.auto).toBe(false);
    expect(lastRun("2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z")?.auto).toBe(true);
  });
});

describe("sortTables", () => {
  const tables = [table("b", 100, 50, 3), table("a", 300, null, 1), table("c", null, null, null)];

  it("sorts by size either way, with unavailable figures last", () => {
    expect(sortTables(tables, "table_bytes", true).map((t) => t.name)).toEqual(["a", "b", "c"]);
    expect(sortTables(tables, "table_bytes", false).map((t) => t.name)).toEqual(["b", "a", "c"]);
    expect(sortTables(tables, "index_bytes", true).map((t) => t.name)).toEqual(["b", "a", "c"]);
  });

  it("sorts by the total of table and indexes, and by name", () => {
    const total = [table("x", 100, 250, 0), table("y", 300, 0, 0)];
    expect(sortTables(total, "total_bytes", true).map((t) => t.name)).toEqual(["x", "y"]);
    expect(sortTables(tables, "name", false).map((t) => t.name)).toEqual(["a", "b", "c"]);
    expect(sortTables(tables, "name", true).map((t) => t.name)).toEqual(["c", "b", "a"]);
  });
});
