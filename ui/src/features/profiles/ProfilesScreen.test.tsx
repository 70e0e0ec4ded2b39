// Employee profiles against a mocked IPC: the grid shows its filter as a chip (a Ctrl+K jump to
// one person can be undone), counts what it selects, and the list shows the Keystone fields.
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it, vi } from "vitest";

import { parseHash } from "../../app/route";
import { mockBackend, renderWithProviders, type Call } from "../../test/ipc";
import { ProfilesScreen } from "./ProfilesScreen";

const COLUMNS = [
  { name: "id", kind: "int", nullable: false, sortable: true, sensitive: false },
  { name: "email", kind: "text", nullable: false, sortable: true, sensitive: false },
  { name: "photo_data", kind: "bytes", nullable: true, sortable: false, sensitive: false },
  { name: "photo_content_type", kind: "text", nullable: true, sortable: false, sensitive: false },
  { name: "keystone_data", kind: "json", nullable: true, sortable: false, sensitive: false },
];
const ADA = {
  id: 5,
  email: "ada.byron@corp.test",
  photo_content_type: null,
  keystone_data: { display_name: "Ada Byron", job_title: "Analyst", department: "Finance", job_code: "FIN2" },
};

function backend(): Call[] {
  return mockBackend((cmd) => {
    switch (cmd) {
      case "session_info":
        return new Promise(() => {});
      case "table_columns":
        return COLUMNS;
      case "list_rows":
        return { rows: [ADA], next_cursor: null, total: null };
      case "count_rows":
        return { value: 1, kind: "exact" };
      default:
        throw new Error(`unexpected command ${cmd}`);
    }
  });
}

afterEach(() => clearMocks());

describe("employee profiles", () => {
  it("shows a palette jump's filter as a chip on the grid, counted, and × goes back to everyone", async () => {
    const calls = backend();
    const onQueryChange = vi.fn();
    const chips = [{ column: "email", op: "eq", value: ADA.email } as const];
    renderWithProviders(<ProfilesScreen chips={[...chips]} sort={null} onQueryChange={onQueryChange} />);
    await screen.findByTestId("photo-tile");
    const chip = screen.getByTestId("filter-chip");
    expect(chip.textContent).toContain(`email = ${ADA.email}`);
    await waitFor(() => expect(screen.getByTestId("grid-total").textContent).toBe("1 employee"));
    expect(calls.find((c) => c.cmd === "count_rows")?.args.query).toMatchObject({
      filters: [{ column: "email", op: "eq", value: ADA.email }],
    });
    // the search box shows the same filter
    expect((screen.getByTestId("quick-email") as HTMLInputElement).value).toBe(ADA.email);

    fireEvent.click(within(chip).getByRole("button", { name: `Remove filter email = ${ADA.email}` }));
    expect(onQueryChange).toHaveBeenLastCalledWith([], null);
  });

  it("searches the grid by email", async () => {
    backend();
    const onQueryChange = vi.fn();
    renderWithProviders(<ProfilesScreen chips={[]} sort={null} onQueryChange={onQueryChange} />);
    const search = await screen.findByTestId("quick-email");
    expect(screen.queryByTestId("filter-chip")).toBeNull();
    fireEvent.change(search, { target: { value: "ada" } });
    fireEvent.submit(search.closest("form")!);
    expect(onQueryChange).toHaveBeenLastCalledWith([{ column: "email", op: "contains", value: "ada" }], null);
  });

  it("lists the Keystone name, title, department and job code, and links the drawer to assignments and gaps", async () => {
    backend();
    renderWithProviders(<ProfilesScreen chips={[]} sort={null} onQueryChange={() => {}} />);
    fireEvent.click(await screen.findByTestId("view-list"));
    // columns of their own, after the email, computed from keystone_data
    const row = (await screen.findByText(ADA.email)).closest('[data-testid="row"]')!;
    const cells = [...row.querySelectorAll('[role="cell"]')].map((c) => c.textContent);
    expect(cells.slice(0, 5)).toEqual([ADA.email, "Ada Byron", "Analyst", "Finance", "FIN2"]);
    const headers = screen.getAllByRole("columnheader").map((h) => h.textContent ?? "");
    expect(headers.slice(0, 5).map((h) => h.replace(/[▾▴]/g, "").trim())).toEqual(["email", "name", "title", "department", "job_code"]);

    fireEvent.click(screen.getByText(ADA.email));
    const links = within(screen.getByTestId("detail-drawer")).getByTestId("linked-records");
    const route = (testid: string) => parseHash(within(links).getByTestId(testid).getAttribute("href")!);
    expect(route("link-assignments")).toEqual({
      screen: "employee_role_assignments",
      chips: [{ column: "employee_email", op: "eq", value: ADA.email }],
      sort: null,
    });
    expect(route("link-gaps")).toEqual({ screen: "compliance", chips: [{ column: "email", op: "eq", value: ADA.email }], sort: null });
  });

  it("fetches the grid's next page as its end nears the view, and exports like every list", async () => {
    const seen: { cb: IntersectionObserverCallback }[] = [];
    vi.stubGlobal(
      "IntersectionObserver",
      class {
        constructor(cb: IntersectionObserverCallback) {
          seen.push({ cb });
        }
        observe() {}
        disconnect() {}
      },
    );
    const BOB = { ...ADA, id: 2, email: "bob@corp.test" };
    const calls = mockBackend((cmd, args) => {
      switch (cmd) {
        case "session_info":
          return new Promise(() => {});
        case "table_columns":
          return COLUMNS;
        case "list_rows":
          return (args.query as { cursor: string | null }).cursor === "next"
            ? { rows: [BOB], next_cursor: null, total: null }
            : { rows: [ADA], next_cursor: "next", total: null };
        case "count_rows":
          return { value: 2, kind: "exact" };
        default:
          throw new Error(`unexpected command ${cmd}`);
      }
    });
    try {
      renderWithProviders(<ProfilesScreen chips={[]} sort={null} onQueryChange={() => {}} />);
      await screen.findByTestId("photo-tile");
      expect(screen.getByTestId("export")).toBeTruthy();
      expect(calls.filter((c) => c.cmd === "list_rows")).toHaveLength(1);
      const last = seen[seen.length - 1];
      last.cb([{ isIntersecting: true } as IntersectionObserverEntry], {} as IntersectionObserver);
      await waitFor(() => expect(screen.getAllByTestId("photo-tile")).toHaveLength(2));
      expect(calls.filter((c) => c.cmd === "list_rows").map((c) => (c.args.query as { cursor: string | null }).cursor)).toEqual([null, "next"]);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
