// Foreign keys as names and links, and the way back: against a mocked IPC, through the whole
// app so the hash routing and the Back button are the real ones.
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { App } from "../../app/App";
import { resetTrail } from "../../app/links";
import { parseHash } from "../../app/route";
import { mockBackend, renderWithProviders, type Call } from "../../test/ipc";

const SESSION = {
  database: "sqlite:///tmp/test.db",
  backend: "sqlite",
  operator: { email: "admin@corp.test", role: "admin" },
  read_only_reason: null,
  keyring_problem: null,
  app_session_id: "abc",
  origin: { kind: "ours" },
  grants: [],
};
const column = (name: string, kind = "int") => ({ name, kind, nullable: false, sortable: name === "id", sensitive: false });
const COLUMNS: Record<string, ReturnType<typeof column>[]> = {
  job_role_mappings: [column("id"), column("job_code_id"), column("system_role_id")],
  system_roles: [column("id"), column("role_name", "text")],
  job_codes: [column("id"), column("code", "text")],
};
const page = (rows: unknown[], next_cursor: string | null = null) => ({ rows, next_cursor, total: null });

let calls: Call[] = [];

beforeEach(() => {
  resetTrail();
  calls = mockBackend((cmd, args) => {
    const table = String(args.table);
    const query = args.query as { cursor?: string | null; limit?: number } | undefined;
    switch (cmd) {
      case "session_info":
        return SESSION;
      case "table_columns":
        return COLUMNS[table];
      case "count_rows":
        return { value: 1, kind: "exact" };
      case "list_rows":
        if (table === "job_role_mappings") return page([{ id: 1, job_code_id: 3, system_role_id: 13 }]);
        // the names are read page by page, to the last one
        if (table === "system_roles" && query?.limit === 500)
          return query.cursor ? page([{ id: 13, role_name: "Phone agent" }]) : page([{ id: 12, role_name: "Mail agent" }], "c1");
        if (table === "system_roles") return page([{ id: 13, role_name: "Phone agent" }]);
        if (table === "job_codes") return page([]); // job code 3 is not there: shown as #3
        return page([]);
      default:
        return new Promise(() => {});
    }
  });
});

afterEach(() => {
  clearMocks();
  window.location.hash = "";
});

const heading = () => screen.getByRole("heading", { level: 1 }).textContent;

describe("foreign keys", () => {
  it("show the referenced row's name, link to it filtered to that row, and lead back", async () => {
    window.location.hash = "#/job_role_mappings";
    renderWithProviders(<App />);
    const role = await screen.findByTestId("fk-system_role_id-13");
    await waitFor(() => expect(role.textContent).toBe("Phone agent"));
    expect(screen.getByTestId("fk-job_code_id-3").textContent).toBe("#3");
    // fetched once, every page, through the list API
    const nameCalls = calls.filter((c) => c.cmd === "list_rows" && c.args.table === "system_roles");
    expect(nameCalls.map((c) => (c.args.query as { cursor: string | null }).cursor)).toEqual([null, "c1"]);

    expect(parseHash(role.getAttribute("href")!)).toEqual({
      screen: "system_roles",
      chips: [{ column: "id", op: "eq", value: "13" }],
      sort: null,
    });
    expect(screen.queryByTestId("back")).toBeNull();
    // an ordinary link: the webview follows it (a new history entry)
    act(() => void fireEvent.click(role));
    await waitFor(() => expect(heading()).toBe("System roles"));
    await waitFor(() =>
      expect(calls.filter((c) => c.cmd === "list_rows" && c.args.table === "system_roles").at(-1)?.args.query).toMatchObject({
        filters: [{ column: "id", op: "eq", value: 13 }],
      }),
    );
    expect(within(screen.getByTestId("table-system_roles")).getByTestId("filter-chip").textContent).toContain("id = 13");

    const back = screen.getByTestId("back");
    expect(back.textContent).toBe("← Back to Job-role mappings");
    act(() => fireEvent.click(back));
    await waitFor(() => expect(heading()).toBe("Job-role mappings"));
    await waitFor(() => expect(screen.queryByTestId("back")).toBeNull());
  });
});
