// Export… asks the backend, which opens the native save dialog itself: the request carries the
// screen's selection and no file path.
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";

import { setZone } from "../lib/timeZone";
import { mockBackend, renderWithProviders } from "../test/ipc";
import { ExportButton, exportedText } from "./ExportButton";

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
    expect(await screen.findByText("Exported 1,234 rows as CSV to audit.csv in /home/me")).toBeTruthy();
    const req = calls.find((c) => c.cmd === "export_rows")?.args.req as Record<string, unknown>;
    expect(req.table).toBe("audit_log");
    expect(req).not.toHaveProperty("path");
    expect((req.query as { filters: unknown[] }).filters).toHaveLength(1);
    // the times in the file follow the screen's setting: local time by default (Vitest runs in UTC)
    expect(req.time_zone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(screen.getByTestId("export")).toBeTruthy();
  });

  it("writes times in UTC when the screen shows UTC", async () => {
    setZone("utc");
    try {
      const calls = backend({ path: "/home/me/audit.csv", rows: 1 });
      await clickExport();
      await screen.findByText(/Exported 1 row/);
      const req = calls.find((c) => c.cmd === "export_rows")?.args.req as Record<string, unknown>;
      expect(req.time_zone).toBe("UTC");
    } finally {
      setZone("local");
    }
  });

  it("says nothing when the dialog was cancelled, and the button comes back", async () => {
    backend(null);
    await clickExport();
    await waitFor(() => expect(screen.queryByText(/Choose where to save/)).toBeNull());
    expect(screen.getByTestId("export")).toBeTruthy();
    expect(screen.queryByText(/Exported/)).toBeNull();
  });

  it("names the format the file was written in, in capitals, and the file", async () => {
    backend({ path: "/home/me/exports/audit.JSON", rows: 11, unreadable: 0 });
    await clickExport();
    expect(await screen.findByText("Exported 11 rows as JSON to audit.JSON in /home/me/exports")).toBeTruthy();
    expect(screen.queryByText(/Json|Csv/)).toBeNull();
  });

  it("words one row, unreadable rows and Windows paths", () => {
    expect(exportedText({ path: "/tmp/x.csv", rows: 1, unreadable: 0 })).toBe("Exported 1 row as CSV to x.csv in /tmp");
    expect(exportedText({ path: "C:\\Users\\me\\audit.json", rows: 3, unreadable: 2 })).toBe(
      "Exported 3 rows as JSON to audit.json in C:\\Users\\me (2 could not be read: only their id)",
    );
    expect(exportedText({ path: "/report.json", rows: 40, unreadable: 0 }, { noun: "employees", format: "CSV" })).toBe(
      "Exported 40 employees as CSV to report.json in /",
    );
  });
});
