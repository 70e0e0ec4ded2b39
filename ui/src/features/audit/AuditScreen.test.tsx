import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it, vi } from "vitest";

import { mockBackend, renderWithProviders } from "../../test/ipc";
import { AuditScreen } from "./AuditScreen";

const COLUMNS = ["id", "created_at", "event_type", "user_email", "user_agent", "message", "additional_data"].map((name) => ({
  name,
  kind: name === "id" ? "int" : name === "created_at" ? "timestamp" : name === "additional_data" ? "json" : "text",
  nullable: true,
  sortable: false,
  sensitive: false,
}));
const ROW = {
  id: 41,
  created_at: "2026-11-24T09:00:00Z",
  event_type: "admin",
  user_email: "admin@corp.test",
  user_agent: "whodis-admin/0.1.0 (linux)",
  message: "users.update",
  additional_data: {
    operation: "users.update",
    entity: "User",
    id: 7,
    changes: { role: { before: "editor", after: "viewer" } },
  },
};

afterEach(() => clearMocks());

describe("audit screen", () => {
  it("filters to this app's changes and shows a row's before/after", async () => {
    const calls = mockBackend((cmd) => {
      if (cmd === "table_columns") return COLUMNS;
      if (cmd === "list_rows") return { rows: [ROW], next_cursor: null, total: { value: 1, kind: "exact" } };
      return new Promise(() => {});
    });
    const onQueryChange = vi.fn();
    const chips = [{ column: "event_type", op: "eq", value: "admin" } as const];
    renderWithProviders(<AuditScreen chips={[...chips]} sort={null} onQueryChange={onQueryChange} />);

    await waitFor(() =>
      expect(calls.find((c) => c.cmd === "list_rows")?.args.query).toMatchObject({
        filters: [{ column: "event_type", op: "eq", value: "admin" }],
      }),
    );
    fireEvent.click(screen.getByTestId("audit-app-only"));
    expect(onQueryChange).toHaveBeenLastCalledWith(
      [...chips, { column: "user_agent", op: "contains", value: "whodis-admin/" }],
      null,
    );

    fireEvent.click(within(await screen.findByTestId("row")).getByText("users.update"));
    const diff = screen.getByTestId("audit-diff");
    expect(within(diff).getByText("users.update · User · 7")).toBeTruthy();
    expect(within(diff).getByText("role").closest("tr")?.textContent).toBe("roleeditorviewer");
  });

  it("has an IP address quick filter that becomes an exact-match chip", async () => {
    mockBackend((cmd) => {
      if (cmd === "table_columns") return COLUMNS;
      if (cmd === "list_rows") return { rows: [ROW], next_cursor: null, total: { value: 1, kind: "exact" } };
      return new Promise(() => {});
    });
    const onQueryChange = vi.fn();
    renderWithProviders(<AuditScreen chips={[]} sort={null} onQueryChange={onQueryChange} />);
    const ip = await screen.findByTestId("quick-ip_address");
    fireEvent.change(ip, { target: { value: " 10.1.2.3 " } });
    fireEvent.submit(ip.closest("form")!);
    expect(onQueryChange).toHaveBeenLastCalledWith([{ column: "ip_address", op: "eq", value: "10.1.2.3" }], null);
  });
});
