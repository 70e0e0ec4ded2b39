// The health screen: the database's size with exact bytes on hover, a row per table with its
// indexes on demand, PostgreSQL's vacuum/analyze columns (none on SQLite), and Analyze disabled
// with the reason for a viewer, enabled for an admin and calling the backend.
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";

import { mockBackend, renderWithProviders, type Call } from "../../test/ipc";
import { HealthScreen } from "./HealthScreen";

function session(role: "admin" | "viewer", backend: "sqlite" | "postgres") {
  return {
    database: "sqlite:///tmp/test.db",
    backend,
    operator: { email: `${role}@corp.test`, role },
    read_only_reason: null,
    keyring_problem: null,
    app_session_id: "abc",
    origin: { kind: "ours" },
    grants: [
      {
        permission: "maintain_database",
        allowed: role === "admin",
        required_role: "admin",
        reason: role === "admin" ? null : `requires the admin role; ${role}@corp.test is viewer`,
      },
    ],
  };
}

const table = (name: string, table_bytes: number, indexes: [string, number][], extra = {}) => ({
  name,
  table_bytes,
  index_bytes: indexes.reduce((s, [, b]) => s + b, 0),
  live_rows: 1200,
  dead_rows: null,
  last_vacuum: null,
  last_autovacuum: null,
  last_analyze: null,
  last_autoanalyze: null,
  indexes: indexes.map(([name, bytes]) => ({ name, bytes })),
  ...extra,
});

function report(backend: "sqlite" | "postgres") {
  return {
    backend,
    database_bytes: 5 * 1024 * 1024 + 1,
    pages: backend === "sqlite" ? { page_size: 4096, page_count: 1281, freelist_count: 3 } : null,
    table_sizes_available: true,
    tables: [
      table("users", 8192, [["users_email_idx", 16384]], { dead_rows: 4, last_analyze: "2026-11-24T08:00:00Z" }),
      table("audit_log", 3 * 1024 * 1024, []),
    ],
    notes: ["a note"],
  };
}

function backend(role: "admin" | "viewer", kind: "sqlite" | "postgres"): Call[] {
  return mockBackend((cmd) => {
    switch (cmd) {
      case "session_info":
        return session(role, kind);
      case "database_health":
        return report(kind);
      case "analyze_database":
        return { tables: 2, skipped: [] };
      default:
        return new Promise(() => {});
    }
  });
}

afterEach(() => clearMocks());

describe("database health screen", () => {
  it("shows sizes human-readable with exact bytes on hover, largest table first", async () => {
    backend("viewer", "sqlite");
    renderWithProviders(<HealthScreen />);
    const size = await screen.findByTestId("health-database-size");
    expect(size.textContent).toBe("5 MiB");
    expect(size.querySelector("span")?.getAttribute("title")).toBe("5,242,881 bytes");
    expect(screen.getByTestId("health-page-count").textContent).toBe("1,281");
    expect(screen.getByTestId("health-freelist").textContent).toBe("3 (12 KiB)");
    const rows = screen.getAllByTestId(/^health-row-/).map((r) => r.getAttribute("data-testid"));
    expect(rows).toEqual(["health-row-audit_log", "health-row-users"]);
    // SQLite records no vacuum or analyze: no such columns
    expect(screen.queryByText("Analyzed")).toBeNull();
    // an index shows when its table is opened
    expect(screen.queryByTestId("health-index-users_email_idx")).toBeNull();
    fireEvent.click(screen.getByTitle("1 index: show each"));
    expect(screen.getByTestId("health-index-users_email_idx").textContent).toContain("16 KiB");
  });

  it("disables Analyze for a viewer, with the reason", async () => {
    backend("viewer", "postgres");
    renderWithProviders(<HealthScreen />);
    const analyze = (await screen.findByTestId("health-analyze")) as HTMLButtonElement;
    await waitFor(() => expect(analyze.title).toContain("Requires the admin role"));
    expect(analyze.disabled).toBe(true);
    expect(screen.getByText("Analyzed")).toBeTruthy();
    expect(screen.getByTestId("health-row-users").textContent).toContain("never");
  });

  it("runs Analyze for an admin and reads the report again", async () => {
    const calls = backend("admin", "postgres");
    renderWithProviders(<HealthScreen />);
    const analyze = (await screen.findByTestId("health-analyze")) as HTMLButtonElement;
    await waitFor(() => expect(analyze.disabled).toBe(false));
    const reads = () => calls.filter((c) => c.cmd === "database_health").length;
    const before = reads();
    fireEvent.click(analyze);
    await waitFor(() => expect(calls.some((c) => c.cmd === "analyze_database")).toBe(true));
    await waitFor(() => expect(reads()).toBeGreaterThan(before));
  });
});
