// The shell against a mocked IPC: header, banners, hash routing and the command palette.
import { act, fireEvent, screen, waitFor } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { mockBackend, renderWithProviders, type Call } from "../test/ipc";
import { App } from "./App";

const SESSION = {
  database: "sqlite:///home/a/whodis.db",
  backend: "sqlite",
  operator: { email: "stranger@corp.test", role: null },
  read_only_reason: "stranger@corp.test is not in users; the connection is read-only",
  keyring_problem: "no Secret Service on this session bus",
  app_session_id: "abc",
  origin: { kind: "ours" } as { kind: string; migration_table?: string | null },
  grants: [],
};

let calls: Call[] = [];

beforeEach(() => {
  calls = mockBackend((cmd) => {
    switch (cmd) {
      case "session_info":
        return SESSION;
      case "table_columns":
        return [{ name: "id", kind: "int", nullable: false, sortable: true, sensitive: false }];
      case "list_rows":
        return { rows: [], next_cursor: null, total: { value: 0, kind: "exact" } };
      default:
        return new Promise(() => {}); // the dashboard's loads stay pending: not under test here
    }
  });
});

afterEach(() => {
  clearMocks();
  window.location.hash = "";
});

function renderApp(hash: string) {
  window.location.hash = hash;
  renderWithProviders(<App />);
}

const heading = () => screen.getByRole("heading", { level: 1 }).textContent;
const hashChange = (hash: string) =>
  act(() => {
    window.location.hash = hash;
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  });

describe("app shell", () => {
  it("names the database and the operator, and says why the connection is read-only", async () => {
    renderApp("#/dashboard");
    await waitFor(() => expect(screen.getByTestId("operator-email").textContent).toBe("stranger@corp.test"));
    // an operator missing from `users` has no role
    expect(screen.getByTestId("operator-role").textContent).toBe("unknown");
    expect(screen.getByTestId("read-only-banner").textContent).toContain(SESSION.read_only_reason);
    expect(screen.getByTestId("keyring-banner").textContent).toContain(SESSION.keyring_problem);
    expect(screen.getByText("sqlite · sqlite:///home/a/whodis.db")).toBeTruthy();
    // a database this app made gets no "made by another program" banner
    expect(screen.queryByTestId("foreign-banner")).toBeNull();
  });

  it("says when the database was made by another program and links to its schema", async () => {
    SESSION.origin = { kind: "foreign", migration_table: "alembic_version" };
    try {
      renderApp("#/dashboard");
      const banner = await screen.findByTestId("foreign-banner");
      expect(banner.textContent).toContain("never migrates it");
      expect(banner.querySelector("a")?.getAttribute("href")).toBe("#/schema");
    } finally {
      SESSION.origin = { kind: "ours" };
    }
  });

  it("opens the screen and filters named in the hash, and follows hash changes", async () => {
    renderApp("#/users?f=role~eq~admin&sort=-created_at");
    expect(heading()).toBe("Users");
    await waitFor(() =>
      expect(calls.find((c) => c.cmd === "list_rows")?.args).toEqual({
        table: "users",
        query: {
          filters: [{ column: "role", op: "eq", value: "admin" }],
          sort: { column: "created_at", descending: true },
          limit: 100,
          cursor: null,
          skip_total: true,
        },
      }),
    );
    hashChange("#/errors");
    expect(heading()).toBe("Error log");
    expect(screen.getByTestId("nav-errors").getAttribute("aria-current")).toBe("page");
  });

  it("fetches the screen's rows again on F5, Ctrl+R and Refresh, without reloading the page", async () => {
    renderApp("#/users");
    const lists = () => calls.filter((c) => c.cmd === "list_rows").length;
    await waitFor(() => expect(lists()).toBe(1));
    const f5 = new KeyboardEvent("keydown", { key: "F5", cancelable: true });
    window.dispatchEvent(f5);
    expect(f5.defaultPrevented).toBe(true);
    await waitFor(() => expect(lists()).toBe(2));
    fireEvent.keyDown(window, { key: "r", ctrlKey: true });
    await waitFor(() => expect(lists()).toBe(3));
    fireEvent.click(screen.getByTestId("refresh"));
    await waitFor(() => expect(lists()).toBe(4));
    expect(heading()).toBe("Users");
  });

  it("jumps to a screen from the Ctrl+K palette", async () => {
    renderApp("#/dashboard");
    fireEvent.keyDown(window, { key: "k", ctrlKey: true });
    const palette = screen.getByTestId("command-palette");
    const input = palette.querySelector("input")!;
    fireEvent.change(input, { target: { value: "access" } });
    fireEvent.keyDown(input, { key: "Enter" });
    expect(screen.queryByTestId("command-palette")).toBeNull();
    expect(window.location.hash).toBe("#/access");
    await waitFor(() => expect(heading()).toBe("Access attempts"));
  });
});
