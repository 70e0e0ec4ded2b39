// Export… asks the backend, which opens the native save dialog itself: the request carries the
// screen's selection and no file path.
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";

import { mockBackend, renderWithProviders } from "../test/ipc";
import { ExportButton } from "./ExportButton";

const SESSION = {
  database: "sqlite:///tmp/test.db",
  backend: "sqlite",
  operator: { email: "viewer@corp.test", role: "viewer" },
  read_only_reason: null,
  keyring_problem: null,
  app_session_id: "abc",
  grants: [{ permission: "export", allowed: true, required_role: "viewer", reason: null }],
};

function backend(exported: unknown) {
  return mockBackend((cmd) => {
    if (cmd === "session_info") return SESSION;
    if (cmd === "export_rows") return exported;
    throw new Error(`unexpected command ${cmd}`);
  });
}

async function clickExport() {
  renderWithProviders(
    <ExportButton table="audit_log" chips={[{ column: "user_email", op: "eq", value: "a@corp.test" }]} sort={null} columns={[]} />,
  );
  const button = await screen.findByTestId("export");
  await waitFor(() => expect((button as HTMLButtonElement).disabled).toBe(false));
  fireEvent.click(button);
}

afterEach(() => clearMocks());

describe("export button", () => {
  it("sends the selection without a path and reports where the rows went", async () => {
    const calls = backend({ path: "/home/me/audit.csv", rows: 1234 });
    await clickExport();
    expect(await screen.findByText("Exported 1,234 rows to /home/me/audit.csv")).toBeTruthy();
    const req = calls.find((c) => c.cmd === "export_rows")?.args.req as Record<string, unknown>;
    expect(req.table).toBe("audit_log");
    expect(req).not.toHaveProperty("path");
    expect((req.query as { filters: unknown[] }).filters).toHaveLength(1);
    expect(screen.getByTestId("export")).toBeTruthy();
  });

  it("says nothing when the dialog was cancelled, and the button comes back", async () => {
    backend(null);
    await clickExport();
    await waitFor(() => expect(screen.queryByText(/Choose where to save/)).toBeNull());
    expect(screen.getByTestId("export")).toBeTruthy();
    expect(screen.queryByText(/Exported/)).toBeNull();
  });
});
