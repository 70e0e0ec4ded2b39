import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";

import { mockBackend, renderWithProviders } from "../../test/ipc";
import { Dashboard } from "./Dashboard";

afterEach(() => {
  clearMocks();
  window.location.hash = "";
});

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
    expect(within(board).getByText("Users").closest("tr")?.textContent).toBe("Users1,234");
    expect(within(board).getAllByText("Sessions")[0].closest("tr")?.textContent).toBe("Sessions4031");
    expect(within(board).getAllByText("Sessions")[1].closest("tr")?.textContent).toBe("Sessions9");
    await screen.findByText(/update_user/);
    expect(screen.getByText("None.")).toBeTruthy(); // no recent errors
    await waitFor(() =>
      expect(calls.find((c) => c.cmd === "list_rows" && c.args.table === "access_attempts")?.args.query).toEqual({
        filters: [{ column: "success", op: "eq", value: false }],
        limit: 8,
      }),
    );
  });

  it("names tables as the sidebar does, in its order, and each row opens that table's screen", async () => {
    mockBackend((cmd) => {
      switch (cmd) {
        case "database_summary":
          return {
            backend: "sqlite",
            schema_version: 3,
            // the backend reports model names, alphabetically
            tables: {
              AccessAttempt: { total: 11, active: null },
              ApiToken: { total: 2, active: null },
              EmployeeProfile: { total: 1000, active: null },
              User: { total: 5, active: 5 },
            },
            expired: { ApiToken: 1, SearchCache: 3, Session: 9 },
          };
        case "audit_per_day":
          return [];
        case "list_rows":
          return { rows: [], next_cursor: null, total: { value: 0, kind: "exact" } };
        default:
          return new Promise(() => {});
      }
    });
    renderWithProviders(<Dashboard />);
    const tables = await screen.findByTestId("dashboard-tables");
    const names = [...tables.querySelectorAll("tbody tr")].map((tr) => tr.querySelector("td")?.textContent);
    expect(names).toEqual(["Users", "Employee profiles", "Access attempts", "API tokens"]);
    const expired = screen.getByTestId("dashboard-expired");
    expect([...expired.querySelectorAll("tbody tr")].map((tr) => tr.textContent)).toEqual([
      "Sessions9",
      "Search cache3",
      "API tokens1",
    ]);
    // each name is a link (reachable with Tab, opened with Enter) to the sidebar's screen
    const link = within(tables).getByRole("link", { name: "Access attempts" });
    expect(link.getAttribute("href")).toBe("#/access");
    expect(screen.getByTestId("dashboard-expired-SearchCache").getAttribute("href")).toBe("#/search_cache");
    fireEvent.click(link);
    await waitFor(() => expect(window.location.hash).toBe("#/access"));
    // a click anywhere on the row goes there too
    fireEvent.click(within(tables).getByText("1,000"));
    expect(window.location.hash).toBe("#/employee_profiles");
    fireEvent.click(within(expired).getByText("9"));
    expect(window.location.hash).toBe("#/sessions");
  });
});
