// The users screen against a mocked IPC: the only place the backend is faked.
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";

import { parseHash } from "../../app/route";
import { WITHIN_DAYS_COLUMN, type Chip } from "../../lib/query";
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

const CHANGED_AT = "2026-11-05T06:07:08.900Z";

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
        return { ...ROW, role: "viewer", updated_at: CHANGED_AT };
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
  it("changes a role at once, sending the updated_at it read, and offers Undo back to the old role", async () => {
    const calls = backend("admin");
    renderScreen();
    const select = (await screen.findByTestId("user-role-7")) as HTMLSelectElement;
    await waitFor(() => expect(select.disabled).toBe(false));
    fireEvent.change(select, { target: { value: "viewer" } });
    expect(screen.queryByRole("dialog")).toBeNull();
    const toast = (await screen.findByText("ed@corp.test is now viewer")).closest("[data-testid=toast]") as HTMLElement;
    const updates = () => calls.filter((c) => c.cmd === "update_user").map((c) => c.args);
    expect(updates()).toEqual([{ req: { id: 7, expected_updated_at: "2026-11-02T03:04:05.678Z", role: "viewer" } }]);

    // Undo: back to editor, with the updated_at the change returned
    fireEvent.click(within(toast).getByRole("button", { name: "Undo" }));
    await screen.findByText("Undone: ed@corp.test is editor again");
    expect(updates()).toEqual([
      { req: { id: 7, expected_updated_at: "2026-11-02T03:04:05.678Z", role: "viewer" } },
      { req: { id: 7, expected_updated_at: CHANGED_AT, role: "editor" } },
    ]);
  });

  it("says the undo could not be made when the user changed meanwhile", async () => {
    let updates = 0;
    backend("admin", (cmd) => {
      if (cmd !== "update_user") return undefined;
      updates += 1;
      return updates === 1
        ? { ...ROW, role: "viewer", updated_at: CHANGED_AT }
        : Promise.reject({ kind: "conflict", message: "users #7 was changed by someone else", field: "updated_at" });
    });
    renderScreen();
    const select = (await screen.findByTestId("user-role-7")) as HTMLSelectElement;
    await waitFor(() => expect(select.disabled).toBe(false));
    fireEvent.change(select, { target: { value: "viewer" } });
    fireEvent.click(await screen.findByRole("button", { name: "Undo" }));
    const error = await screen.findByText("Could not undo “ed@corp.test is now viewer”: users #7 was changed by someone else");
    expect(error.closest(".toast-error")).toBeTruthy();
  });

  it("asks before changing one's own role, which one may not be able to undo", async () => {
    const calls = backend("admin", (cmd) =>
      cmd === "session_info" ? { ...session("admin"), operator: { email: "ed@corp.test", role: "admin" } } : undefined,
    );
    renderScreen();
    const select = (await screen.findByTestId("user-role-7")) as HTMLSelectElement;
    await waitFor(() => expect(select.disabled).toBe(false));
    fireEvent.change(select, { target: { value: "viewer" } });
    const dialog = screen.getByRole("dialog");
    expect(dialog.textContent).toMatch(/Change ed@corp\.test \(you\) from editor to viewer\? A viewer reads/);
    expect(dialog.textContent).toMatch(/another admin will have to/);
    fireEvent.click(screen.getByText("Cancel"));
    expect(select.value).toBe("editor");
    expect(calls.some((c) => c.cmd === "update_user")).toBe(false);
    fireEvent.change(select, { target: { value: "viewer" } });
    fireEvent.click(screen.getByTestId("confirm"));
    await screen.findByText("ed@corp.test is now viewer");
    expect(screen.queryByRole("button", { name: "Undo" })).toBeNull();
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

  it("links a user to their audit trail and sessions, filtered by their email", async () => {
    const calls = backend("viewer");
    renderScreen();
    const audit = await screen.findByTestId("user-audit-7");
    const byEmail = (column: string) => [{ column, op: "eq", value: "ed@corp.test" }];
    expect(parseHash(audit.getAttribute("href")!)).toEqual({ screen: "audit", chips: byEmail("user_email"), sort: null });

    // the drawer has them too, with the sessions and the employee profile
    fireEvent.click(screen.getByText("ed@corp.test"));
    const links = within(screen.getByTestId("detail-drawer")).getByTestId("linked-records");
    const route = (testid: string) => parseHash(within(links).getByTestId(testid).getAttribute("href")!);
    expect(route("link-audit")).toEqual({ screen: "audit", chips: byEmail("user_email"), sort: null });
    expect(route("link-sessions")).toEqual({ screen: "sessions", chips: byEmail("user_email"), sort: null });
    expect(route("link-profile")).toEqual({ screen: "employee_profiles", chips: byEmail("email"), sort: null });
    // links change nothing: no write was sent
    expect(calls.filter((c) => !["session_info", "table_columns", "list_rows", "count_rows", "list_views"].includes(c.cmd))).toEqual([]);
  });
});

describe("users at a glance", () => {
  const computed = (name: string, kind: string) => ({ name, kind, nullable: kind !== "bool", sortable: kind !== "bool", sensitive: false });
  const ACTIVITY_COLUMNS = [
    ...COLUMNS,
    computed("last_session_at", "timestamp"),
    computed("last_audit_at", "timestamp"),
    computed("last_activity_at", "timestamp"),
    computed("active", "bool"),
  ];
  const SEEN = {
    ...ROW,
    last_session_at: "2026-11-20T10:00:00Z",
    last_audit_at: "2026-11-21T09:00:00Z",
    last_activity_at: "2026-11-21T09:00:00Z",
    active: true,
  };
  const NEVER = { ...ROW, id: 8, email: "new@corp.test", last_session_at: null, last_audit_at: null, last_activity_at: null, active: false };

  function activityBackend(): Call[] {
    return backend("admin", (cmd) => {
      if (cmd === "table_columns") return ACTIVITY_COLUMNS;
      if (cmd === "list_rows") return { rows: [SEEN, NEVER], next_cursor: null, total: { value: 2, kind: "exact" } };
      if (cmd === "count_rows") return { value: 2, kind: "exact" };
      return undefined;
    });
  }

  it("shows each user's status as the backend computed it, and the N it was computed for", async () => {
    activityBackend();
    renderScreen();
    const seen = await screen.findByTestId("user-active-7");
    expect(seen.textContent).toBe("active");
    // in the time setting (Vitest runs in UTC)
    expect(seen.title).toBe("Active within 30 days (last seen 2026-11-21 09:00:00)");
    const never = screen.getByTestId("user-active-8");
    expect(never.textContent).toBe("inactive");
    expect(never.title).toBe("Not active within 30 days (never seen)");
  });

  it("asks for the activity filter, N, the email search and the sort in the one list query", async () => {
    const calls = activityBackend();
    const chips: Chip[] = [
      { column: "active", op: "eq", value: "true" },
      { column: WITHIN_DAYS_COLUMN, op: "eq", value: "7" },
      { column: "email", op: "contains", value: "corp" },
    ];
    renderWithProviders(
      <UsersScreen chips={chips} sort={{ column: "last_activity_at", descending: true }} onQueryChange={() => {}} />,
    );
    await screen.findByTestId("user-active-7");
    const list = calls.find((c) => c.cmd === "list_rows");
    expect(list?.args.query).toMatchObject({
      filters: [
        { column: "active", op: "eq", value: true },
        { column: "email", op: "contains", value: "corp" },
      ],
      sort: { column: "last_activity_at", descending: true },
      within_days: 7,
    });
    expect(screen.getByTestId("activity-filter-active").getAttribute("aria-pressed")).toBe("true");
    expect((screen.getByTestId("user-within-days") as HTMLInputElement).value).toBe("7");
    expect((screen.getByTestId("user-email-search") as HTMLInputElement).value).toBe("corp");
    expect(screen.getByTestId("user-active-7").title).toMatch(/within 7 days/);
  });

  it("turns the toolbar into chips, and refuses a number of days that is not one", async () => {
    activityBackend();
    const changes: Chip[][] = [];
    renderWithProviders(<UsersScreen chips={[]} sort={null} onQueryChange={(next) => changes.push(next)} />);
    await screen.findByTestId("user-active-7");

    fireEvent.click(screen.getByTestId("activity-filter-inactive"));
    expect(changes.pop()).toEqual([{ column: "active", op: "eq", value: "false" }]);

    const email = screen.getByTestId("user-email-search");
    fireEvent.change(email, { target: { value: "ed@" } });
    fireEvent.blur(email);
    expect(changes.pop()).toEqual([{ column: "email", op: "contains", value: "ed@" }]);

    const days = screen.getByTestId("user-within-days");
    for (const bad of ["-3", "two", "40000"]) {
      fireEvent.change(days, { target: { value: bad } });
      fireEvent.blur(days);
      expect(screen.getByTestId("user-within-days-error").textContent).toMatch(/^Days must be/);
      expect(changes).toEqual([]);
    }
    fireEvent.change(days, { target: { value: "7" } });
    fireEvent.blur(days);
    expect(changes.pop()).toEqual([{ column: WITHIN_DAYS_COLUMN, op: "eq", value: "7" }]);
    expect(screen.queryByTestId("user-within-days-error")).toBeNull();
  });
});
