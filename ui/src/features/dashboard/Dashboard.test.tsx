import { screen, waitFor, within } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";

import { mockBackend, renderWithProviders } from "../../test/ipc";
import { Dashboard } from "./Dashboard";

afterEach(() => clearMocks());

describe("dashboard", () => {
  it("shows rows per table, expired rows, the schema version, and asks for recent denials only", async () => {
    const calls = mockBackend((cmd, args) => {
      switch (cmd) {
        case "database_summary":
          return {
            backend: "postgres",
            schema_version: 12,
            tables: { User: { total: 1234, active: null }, Session: { total: 40, active: 31 } },
            expired: { Session: 9 },
          };
        case "audit_per_day":
          return [];
        case "list_rows":
          return args.table === "access_attempts"
            ? {
                rows: [{ id: 1, created_at: "2026-11-24T08:00:00Z", user_email: "v@corp.test", resource: "update_user" }],
                next_cursor: null,
                total: { value: 1, kind: "exact" },
              }
            : { rows: [], next_cursor: null, total: { value: 0, kind: "exact" } };
        default:
          return new Promise(() => {});
      }
    });
    renderWithProviders(<Dashboard />);
    const board = await screen.findByTestId("dashboard");
    expect(within(board).getByText("(postgres, schema v12)")).toBeTruthy();
    expect(within(board).getByText("User").closest("tr")?.textContent).toBe("User1,234");
    expect(within(board).getAllByText("Session")[0].closest("tr")?.textContent).toBe("Session4031");
    expect(within(board).getAllByText("Session")[1].closest("tr")?.textContent).toBe("Session9");
    await screen.findByText(/update_user/);
    expect(screen.getByText("None.")).toBeTruthy(); // no recent errors
    await waitFor(() =>
      expect(calls.find((c) => c.cmd === "list_rows" && c.args.table === "access_attempts")?.args.query).toEqual({
        filters: [{ column: "success", op: "eq", value: false }],
        limit: 8,
      }),
    );
  });
});
