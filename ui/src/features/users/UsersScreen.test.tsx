// The users screen against a mocked IPC: the only place the backend is faked.
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";

import { mockBackend, renderWithProviders, type Call } from "../../test/ipc";
import { UsersScreen } from "./UsersScreen";

const COLUMNS = ["id", "email", "role", "created_at", "updated_at"].map((name) => ({
  name,
  kind: name === "id" ? "int" : name.endsWith("_at") ? "timestamp" : "text",
  nullable: false,
  sortable: name !== "role",
  sensitive: false,
}));
const ROW = {
  id: 7,
  email: "ed@corp.test",
  role: "editor",
  created_at: "2026-11-01T00:00:00Z",
  updated_at: "2026-11-02T03:04:05.678Z",
};

function session(role: "admin" | "viewer") {
  const allowed = role === "admin";
  return {
    database: "sqlite:///tmp/test.db",
    backend: "sqlite",
    operator: { email: `${role}@corp.test`, role },
    read_only_reason: null,
    keyring_problem: null,
    app_session_id: "abc",
    grants: [
      {
        permission: "manage_users",
        allowed,
        required_role: "admin",
        reason: allowed ? null : `requires the admin role; ${role}@corp.test is ${role}`,
      },
    ],
  };
}

function backend(role: "admin" | "viewer", reply?: (cmd: string) => unknown): Call[] {
  return mockBackend((cmd) => {
    const custom = reply?.(cmd);
    if (custom !== undefined) return custom;
    switch (cmd) {
      case "session_info":
        return session(role);
      case "table_columns":
        return COLUMNS;
      case "list_rows":
        return { rows: [ROW], next_cursor: null, total: { value: 1, kind: "exact" } };
      case "update_user":
        return { ...ROW, role: "viewer" };
      case "create_user":
        return Promise.reject({ kind: "invalid", message: "email: already taken", field: "email" });
      default:
        throw new Error(`unexpected command ${cmd}`);
    }
  });
}

const renderScreen = () => renderWithProviders(<UsersScreen chips={[]} sort={null} onQueryChange={() => {}} />);

afterEach(() => clearMocks());

describe("users screen", () => {
  it("asks before a role change, naming who and what, and sends the updated_at it read", async () => {
    const calls = backend("admin");
    renderScreen();
    const select = (await screen.findByTestId("user-role-7")) as HTMLSelectElement;
    await waitFor(() => expect(select.disabled).toBe(false));
    // cancelled: nothing is sent and the cell shows the role it had
    fireEvent.change(select, { target: { value: "viewer" } });
    expect(screen.getByRole("dialog").textContent).toMatch(/Change ed@corp\.test from editor to viewer\? A viewer reads/);
    fireEvent.click(screen.getByText("Cancel"));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(select.value).toBe("editor");
    expect(calls.some((c) => c.cmd === "update_user")).toBe(false);

    fireEvent.change(select, { target: { value: "viewer" } });
    fireEvent.click(screen.getByTestId("confirm"));
    await screen.findByText("ed@corp.test is now viewer");
    expect(calls.find((c) => c.cmd === "update_user")?.args).toEqual({
      req: { id: 7, expected_updated_at: "2026-11-02T03:04:05.678Z", role: "viewer" },
    });
  });

  it("shows a conflict's message and reloads the rows", async () => {
    const calls = backend("admin", (cmd) => {
      if (cmd === "update_user") {
        return Promise.reject({ kind: "conflict", message: "users #7 was changed by someone else", field: "updated_at" });
      }
      return undefined;
    });
    renderScreen();
    const select = await screen.findByTestId("user-role-7");
    await waitFor(() => expect((select as HTMLSelectElement).disabled).toBe(false));
    const listsBefore = calls.filter((c) => c.cmd === "list_rows").length;
    fireEvent.change(select, { target: { value: "admin" } });
    fireEvent.click(screen.getByTestId("confirm"));
    await screen.findByText("users #7 was changed by someone else");
    await waitFor(() => expect(calls.filter((c) => c.cmd === "list_rows").length).toBeGreaterThan(listsBefore));
  });

  it("disables edits for a viewer and says why", async () => {
    backend("viewer");
    renderScreen();
    const select = (await screen.findByTestId("user-role-7")) as HTMLSelectElement;
    await waitFor(() => expect(select.title).toBe("Requires the admin role; viewer@corp.test is viewer"));
    expect(select.disabled).toBe(true);
    const create = screen.getByTestId("user-create") as HTMLButtonElement;
    expect(create.disabled).toBe(true);
    expect(create.title).toMatch(/admin role/);
    expect((screen.getByTestId("user-delete-7") as HTMLButtonElement).disabled).toBe(true);
  });

  it("adds a user, and shows the backend's field error next to the email", async () => {
    const calls = backend("admin");
    renderScreen();
    const add = (await screen.findByTestId("user-create")) as HTMLButtonElement;
    await waitFor(() => expect(add.disabled).toBe(false));
    fireEvent.click(add);
    fireEvent.change(screen.getByTestId("user-email"), { target: { value: " ed@corp.test " } });
    fireEvent.change(screen.getByLabelText("Role"), { target: { value: "editor" } });
    fireEvent.click(screen.getByTestId("user-save"));
    const error = await screen.findByTestId("user-email-error");
    expect(error.textContent).toBe("email: already taken");
    expect(screen.getByTestId("user-email").getAttribute("aria-invalid")).toBe("true");
    expect(calls.find((c) => c.cmd === "create_user")?.args).toEqual({ req: { email: "ed@corp.test", role: "editor" } });
    // the dialog stays open for a fix
    expect(screen.getByRole("dialog", { name: "Add user" })).toBeTruthy();
  });

  it("deletes only after confirmation, sending the updated_at it read", async () => {
    const calls = backend("admin", (cmd) => (cmd === "delete_user" ? null : undefined));
    renderScreen();
    const del = (await screen.findByTestId("user-delete-7")) as HTMLButtonElement;
    await waitFor(() => expect(del.disabled).toBe(false));
    fireEvent.click(del);
    expect(calls.some((c) => c.cmd === "delete_user")).toBe(false);
    fireEvent.click(screen.getByTestId("confirm"));
    await screen.findByText("Deleted ed@corp.test");
    expect(calls.find((c) => c.cmd === "delete_user")?.args).toEqual({
      req: { id: 7, expected_updated_at: "2026-11-02T03:04:05.678Z" },
    });
  });
});
