// The generic table against a mocked IPC: what it asks the list engine, and what it shows.
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import type { QueryClient } from "@tanstack/react-query";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { Chip, SortState } from "../../lib/query";
import { mockBackend, renderWithProviders } from "../../test/ipc";
import { DataTable } from "./DataTable";
import { backend, COLUMNS, row } from "./DataTable.fixtures";
import { FOLLOW_MS } from "./usePagedRows";

function renderTable(
  props: { chips?: Chip[]; sort?: SortState | null; onQueryChange?: () => void; leading?: string[]; follow?: boolean } = {},
) {
  const onQueryChange = props.onQueryChange ?? vi.fn();
  lastClient = renderWithProviders(
    <DataTable
      table="audit_log"
      chips={props.chips ?? []}
      sort={props.sort ?? null}
      leading={props.leading}
      follow={props.follow}
      onQueryChange={onQueryChange}
    />,
  ).client;
  return onQueryChange;
}

let lastClient: QueryClient | undefined;
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
/** Whether the page fetched with `cursor` is still held by the table. */
const held = (cursor: string | null) =>
  (lastClient?.getQueryCache().findAll({ queryKey: ["rows", "audit_log"] }) ?? []).some(
    (q) => q.queryKey[4] === "page" && q.queryKey[5] === cursor && q.getObserversCount() > 0,
  );
const listCalls = (calls: ReturnType<typeof backend>) => calls.filter((c) => c.cmd === "list_rows").map((c) => c.args);
const headerNames = () => screen.getAllByRole("columnheader").map((h) => h.textContent?.replace(/ [▾▴]$/, ""));

afterEach(() => clearMocks());

describe("DataTable", () => {
  it("shows the table's columns (not bytes or sensitive ones), leading ones first, and an honest total", async () => {
    backend({ null: { rows: [row(1), row(2)], next_cursor: null, total: { value: 1_234_567, kind: "estimate" } } });
    renderTable({ leading: ["created_at", "message"] });
    expect(await screen.findAllByTestId("row")).toHaveLength(2);
    expect(headerNames()).toEqual(["created_at", "message", "id", "event_type", "additional_data"]);
    expect(screen.getByTestId("total").textContent).toBe("≈ 1.2M rows");
    const first = screen.getAllByTestId("row")[0];
    expect(within(first).getAllByRole("cell").map((c) => c.textContent)).toEqual([
      "2026-11-24 10:00:00",
      "event 1",
      "1",
      "admin",
      '{"operation":"users.update","id":1}',
    ]);
  });

  it("sends typed filters and the sort, and loads the next keyset page as the end comes into view", async () => {
    const firstPage = Array.from({ length: 30 }, (_, i) => row(100 - i));
    const calls = backend({
      null: { rows: firstPage, next_cursor: "c1", total: { value: 10_000, kind: "at_least" } },
      c1: { rows: [row(70), row(69)], next_cursor: null, total: { value: 10_000, kind: "at_least" } },
    });
    renderTable({
      chips: [
        { column: "id", op: "gt", value: "5" },
        { column: "message", op: "is_null", value: "" },
      ],
      sort: { column: "created_at", descending: false },
    });
    await waitFor(() => expect(listCalls(calls)).toHaveLength(2));
    const filters = [
      { column: "id", op: "gt", value: 5 },
      { column: "message", op: "is_null" },
    ];
    const sort = { column: "created_at", descending: false };
    expect(listCalls(calls)).toEqual([
      { table: "audit_log", query: { filters, sort, limit: 100, cursor: null, skip_total: true } },
      { table: "audit_log", query: { filters, sort, limit: 100, cursor: "c1", skip_total: true } },
    ]);
    expect(screen.getByTestId("total").textContent).toBe("≥ 10,000 rows");
    // the rows are windowed: the spacer is as tall as every loaded row
    const body = screen.getByRole("grid").lastElementChild as HTMLElement;
    await waitFor(() => expect(body.style.height).toBe(`${32 * 34}px`));
    // and says how many rows it knows (its height is capped past ~235k rows)
    expect(screen.getByRole("grid").dataset.rows).toBe("32");
  });

  it("fetches a few pages ahead of the viewport, not the whole chain, and more as it scrolls", async () => {
    const pages: Record<string, unknown> = {};
    for (let p = 0; p < 10; p++) {
      pages[p === 0 ? "null" : `c${p}`] = {
        rows: Array.from({ length: 100 }, (_, i) => row(1000 - p * 100 - i)),
        next_cursor: p < 9 ? `c${p + 1}` : null,
        total: { value: 1000, kind: "exact" },
      };
    }
    const calls = backend(pages);
    renderTable();
    const cursors = () => listCalls(calls).map((a) => (a as { query: { cursor: string | null } }).query.cursor);
    await waitFor(() => expect(cursors()).toEqual([null, "c1", "c2"]));
    await settle();
    expect(cursors()).toEqual([null, "c1", "c2"]);
    const grid = screen.getByRole("grid");
    const body = grid.lastElementChild as HTMLElement;
    await waitFor(() => expect(body.style.height).toBe(`${300 * 34}px`));
    // scrolled to row 250 (page 2): two pages beyond it are fetched, nothing further
    Object.defineProperty(grid, "scrollTop", { value: 250 * 34, configurable: true });
    fireEvent.scroll(grid);
    await waitFor(() => expect(cursors()).toEqual([null, "c1", "c2", "c3", "c4"]));
    await settle();
    expect(cursors()).toEqual([null, "c1", "c2", "c3", "c4"]);
    expect(await screen.findByText("event 750")).toBeTruthy();
    expect(held(null)).toBe(true);
    // further down (row 450, page 4): two pages behind the viewport are kept, the ones before
    // are let go (cached briefly, no longer held)
    await waitFor(() => expect(body.style.height).toBe(`${500 * 34}px`));
    Object.defineProperty(grid, "scrollTop", { value: 450 * 34, configurable: true });
    fireEvent.scroll(grid);
    await waitFor(() => expect(cursors()).toEqual([null, "c1", "c2", "c3", "c4", "c5", "c6"]));
    expect(await screen.findByText("event 550")).toBeTruthy();
    expect([held(null), held("c1"), held("c2"), held("c6")]).toEqual([false, false, true, true]);
  });

  it("shows the rows without waiting for the total, which it asks for apart", async () => {
    const calls = mockBackend((cmd) => {
      if (cmd === "table_columns") return COLUMNS;
      if (cmd === "list_rows") return { rows: [row(1)], next_cursor: null, total: null };
      return new Promise(() => {}); // the count never ends here
    });
    renderTable({ chips: [{ column: "event_type", op: "eq", value: "admin" }], sort: { column: "id", descending: false } });
    expect(await screen.findByText("event 1")).toBeTruthy();
    expect(screen.getByTestId("total").textContent).toBe("");
    const page = calls.find((c) => c.cmd === "list_rows")?.args as { query: { skip_total: boolean } };
    expect(page.query.skip_total).toBe(true);
    const count = calls.find((c) => c.cmd === "count_rows")?.args as { query: { sort: unknown; cursor: unknown; filters: unknown[] } };
    expect(count.query.filters).toEqual([{ column: "event_type", op: "eq", value: "admin" }]);
    expect([count.query.sort, count.query.cursor]).toEqual([null, null]);
  });

  it("offers sort toggles on sortable columns only: times newest first, others A→Z first, then flipping", async () => {
    backend({ null: { rows: [row(1)], next_cursor: null, total: { value: 1, kind: "exact" } } });
    const chips: Chip[] = [{ column: "event_type", op: "eq", value: "admin" }];
    const onQueryChange = renderTable({ chips, sort: { column: "id", descending: true } });
    await screen.findAllByTestId("row");
    const header = (name: string) => screen.getAllByRole("columnheader").find((h) => h.textContent?.startsWith(name))!;

    expect(header("id").getAttribute("aria-sort")).toBe("descending");
    fireEvent.click(header("id"));
    expect(onQueryChange).toHaveBeenLastCalledWith(chips, { column: "id", descending: false });
    fireEvent.click(header("created_at"));
    expect(onQueryChange).toHaveBeenLastCalledWith(chips, { column: "created_at", descending: true });
    fireEvent.click(header("event_type"));
    expect(onQueryChange).toHaveBeenLastCalledWith(chips, { column: "event_type", descending: false });
    fireEvent.click(header("message"));
    expect(onQueryChange).toHaveBeenCalledTimes(3);
    expect(header("message").className).toBe("unsortable");
  });

  it("flips an ascending sort back to descending rather than dropping it", async () => {
    backend({ null: { rows: [row(1)], next_cursor: null, total: { value: 1, kind: "exact" } } });
    const onQueryChange = renderTable({ sort: { column: "id", descending: false } });
    await screen.findAllByTestId("row");
    fireEvent.click(screen.getAllByRole("columnheader").find((h) => h.textContent === "id ▴")!);
    expect(onQueryChange).toHaveBeenLastCalledWith([], { column: "id", descending: true });
  });

  it("adds a filter chip from the column, operator and value pickers", async () => {
    backend({ null: { rows: [row(1)], next_cursor: null, total: { value: 1, kind: "exact" } } });
    const existing: Chip = { column: "id", op: "lt", value: "9" };
    const onQueryChange = renderTable({ chips: [existing] });
    await screen.findAllByTestId("row");
    fireEvent.change(screen.getByLabelText("Filter column"), { target: { value: "message" } });
    fireEvent.change(screen.getByLabelText("Filter operator"), { target: { value: "contains" } });
    fireEvent.change(screen.getByTestId("filter-value"), { target: { value: " timeout " } });
    fireEvent.click(screen.getByText("Add filter"));
    expect(onQueryChange).toHaveBeenLastCalledWith([existing, { column: "message", op: "contains", value: "timeout" }], null);
    // removing a chip keeps the others
    fireEvent.click(screen.getByLabelText("Remove filter id < 9"));
    expect(onQueryChange).toHaveBeenLastCalledWith([], null);
  });

  it("moves the selection with the arrow keys, opens the row with Enter and closes it with Esc", async () => {
    backend({ null: { rows: [row(1), row(2), row(3)], next_cursor: null, total: { value: 3, kind: "exact" } } });
    renderTable();
    await screen.findAllByTestId("row");
    const grid = screen.getByRole("grid");
    fireEvent.keyDown(grid, { key: "ArrowDown" });
    fireEvent.keyDown(grid, { key: "ArrowDown" });
    fireEvent.keyDown(grid, { key: "ArrowDown" });
    fireEvent.keyDown(grid, { key: "ArrowUp" });
    const selected = screen.getAllByTestId("row").map((r) => r.getAttribute("aria-selected"));
    expect(selected).toEqual(["false", "true", "false"]);

    fireEvent.keyDown(grid, { key: "Enter" });
    const drawer = screen.getByTestId("detail-drawer");
    expect(within(drawer).getByText("Audit log #2")).toBeTruthy();
    // JSON fields are pretty-printed in a collapsible block
    const json = within(drawer).getByText("JSON").closest("details")!;
    expect(json.querySelector("pre")?.textContent).toBe(JSON.stringify(row(2).additional_data, null, 2));

    fireEvent.keyDown(window, { key: "Escape" });
    expect(screen.queryByTestId("detail-drawer")).toBeNull();
  });

  it("keeps the selection on its row when rows arrive above it, and the open drawer follows the selection", async () => {
    let newest = 3;
    const calls = backend(() => ({
      rows: Array.from({ length: newest }, (_, i) => row(newest - i)),
      next_cursor: null,
      total: { value: newest, kind: "exact" },
    }));
    renderTable();
    await screen.findByText("event 3");
    const grid = screen.getByRole("grid");
    fireEvent.keyDown(grid, { key: "ArrowDown" });
    fireEvent.keyDown(grid, { key: "ArrowDown" });
    const selectedText = () => screen.getAllByTestId("row").find((r) => r.getAttribute("aria-selected") === "true")?.textContent;
    expect(selectedText()).toContain("event 2");
    // two rows are written above it; a refresh shows them and the selection stays on its row
    newest = 5;
    const before = calls.length;
    await lastClient?.invalidateQueries({ queryKey: ["rows", "audit_log"] });
    await screen.findByText("event 5");
    expect(calls.length).toBeGreaterThan(before);
    expect(selectedText()).toContain("event 2");
    // Enter opens it; ↓ moves the selection and the drawer with it
    fireEvent.keyDown(grid, { key: "Enter" });
    expect(within(screen.getByTestId("detail-drawer")).getByText("Audit log #2")).toBeTruthy();
    fireEvent.keyDown(grid, { key: "ArrowDown" });
    expect(within(screen.getByTestId("detail-drawer")).getByText("Audit log #1")).toBeTruthy();
  });

  it("follows a log: asks for the first page again while at the top, and pauses when scrolled", async () => {
    let newest = 40;
    const calls = backend(() => ({
      rows: Array.from({ length: 40 }, (_, i) => row(newest - i)),
      next_cursor: null,
      total: { value: 40, kind: "exact" },
    }));
    renderTable({ follow: true });
    await screen.findByText("event 40");
    expect(screen.getByTestId("follow-state").textContent).toBe("● live");
    newest = 41;
    await waitFor(() => expect(screen.getByText("event 41")).toBeTruthy(), { timeout: FOLLOW_MS + 2000 });
    // scrolled down, it stops asking
    const grid = screen.getByRole("grid");
    Object.defineProperty(grid, "scrollTop", { value: 10 * 34, configurable: true });
    fireEvent.scroll(grid);
    await waitFor(() => expect(screen.getByTestId("follow-state").textContent).toBe("paused (scrolled)"));
    const asked = listCalls(calls).length;
    await new Promise((resolve) => setTimeout(resolve, FOLLOW_MS + 500));
    expect(listCalls(calls).length).toBe(asked);
  }, 15_000);

  it("says when a table is empty", async () => {
    backend({ null: { rows: [], next_cursor: null, total: { value: 0, kind: "exact" } } });
    renderTable();
    expect((await screen.findByTestId("empty")).textContent).toBe("This table is empty.");
  });

  it("shows the backend's error message", async () => {
    backend(() => Promise.reject({ kind: "invalid", message: "id: expected a number", field: "id" }));
    renderTable({ chips: [{ column: "id", op: "eq", value: "abc" }] });
    expect((await screen.findByRole("alert")).textContent).toBe("id: expected a number");
  });
});
