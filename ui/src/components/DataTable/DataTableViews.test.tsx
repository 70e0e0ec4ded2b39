// Saved views in the table's toolbar, against a mocked IPC: the default view applied when the
// table opens, applying, saving (replacing asks first), the default mark and deleting.
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";
import { useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { View, ViewList } from "../../api";
import type { Chip, SortState } from "../../lib/query";
import { mockBackend, renderWithProviders } from "../../test/ipc";
import { DataTable } from "./DataTable";
import { COLUMNS, row } from "./DataTable.fixtures";

const saved: View = {
  name: "Admin",
  chips: [
    { column: "event_type", op: "eq", value: "admin" },
    { column: "gone_column", op: "eq", value: "x" },
  ],
  sort: { column: "id", descending: true },
  columns: [
    { name: "message", width: 400, hidden: false },
    { name: "gone_column", width: 100, hidden: false },
    { name: "id", width: 90, hidden: false },
    { name: "event_type", width: 130, hidden: true },
  ],
  page_size: 200,
};

/** The list engine and a views file holding `views`; the views commands answer as the backend does. */
function serve(initial: ViewList) {
  let views = initial;
  const calls = mockBackend((cmd, args) => {
    if (cmd === "table_columns") return COLUMNS;
    if (cmd === "count_rows") return { value: 2, kind: "exact" };
    if (cmd === "list_rows") return { rows: [row(1), row(2)], next_cursor: null, total: null };
    if (cmd === "list_views") return views;
    if (cmd === "save_view") {
      const view = args.view as View;
      const others = views.views.filter((v) => v.name !== view.name);
      views = { ...views, views: [...others, view] };
      return views;
    }
    if (cmd === "set_default_view") return (views = { ...views, default: args.name as string | null });
    if (cmd === "delete_view") return (views = { ...views, views: views.views.filter((v) => v.name !== args.name) });
    return new Promise(() => {});
  });
  return calls;
}

/** The table with its filters and sort held as a screen holds them (the route). */
function Routed({ onChange }: { onChange: (chips: Chip[], sort: SortState | null) => void }) {
  const [query, setQuery] = useState<{ chips: Chip[]; sort: SortState | null }>({ chips: [], sort: null });
  return (
    <DataTable
      table="audit_log"
      chips={query.chips}
      sort={query.sort}
      onQueryChange={(chips, sort) => {
        onChange(chips, sort);
        setQuery({ chips, sort });
      }}
    />
  );
}

function renderTable(chips: Chip[] = [], sort: SortState | null = null) {
  const onQueryChange = vi.fn();
  renderWithProviders(<DataTable table="audit_log" chips={chips} sort={sort} onQueryChange={onQueryChange} />);
  return onQueryChange;
}

const headerNames = () => screen.getAllByRole("columnheader").map((h) => h.textContent?.replace(/ [▾▴]$/, ""));
const limits = (calls: ReturnType<typeof serve>) =>
  calls.filter((c) => c.cmd === "list_rows").map((c) => (c.args as { query: { limit: number } }).query.limit);
const openViews = () => fireEvent.click(screen.getByTestId("views-button"));
const panel = () => screen.getByRole("group", { name: "Saved views" });

afterEach(() => {
  clearMocks();
  localStorage.clear();
});

describe("saved views", () => {
  it("change nothing when none is saved", async () => {
    const calls = serve({ views: [], default: null, warnings: [] });
    const onQueryChange = renderTable();
    await screen.findAllByTestId("row");
    openViews();
    expect(await within(panel()).findByTestId("views-none")).toBeTruthy();
    expect(onQueryChange).not.toHaveBeenCalled();
    expect(limits(calls).every((n) => n === 100)).toBe(true);
    expect(headerNames()).toEqual(["id", "event_type", "message", "additional_data", "created_at"]);
    expect(calls.filter((c) => c.cmd === "list_views").map((c) => c.args)).toEqual([{ screen: "audit_log" }]);
  });

  it("apply the default when the table opens, leaving out the columns it no longer has", async () => {
    const calls = serve({ views: [saved], default: "Admin", warnings: [] });
    const onQueryChange = renderTable();
    await waitFor(() => expect(onQueryChange).toHaveBeenCalledTimes(1));
    expect(onQueryChange).toHaveBeenCalledWith([{ column: "event_type", op: "eq", value: "admin" }], { column: "id", descending: true });
    await waitFor(() => expect(headerNames()).toEqual(["message", "id", "additional_data", "created_at"]));
    await waitFor(() => expect(limits(calls)).toContain(200));
    // and it is kept as the table's layout, like a change made by hand
    expect(JSON.parse(localStorage.getItem("whodis.tableLayout.audit_log") ?? "{}").hidden).toEqual(["event_type"]);
  });

  it("keep the filters a table was opened with (a followed link), taking the default's layout only", async () => {
    serve({ views: [saved], default: "Admin", warnings: [] });
    const onQueryChange = renderTable([{ column: "id", op: "eq", value: "7" }]);
    await waitFor(() => expect(headerNames()).toEqual(["message", "id", "additional_data", "created_at"]));
    expect(onQueryChange).not.toHaveBeenCalled();
  });

  it("apply a picked view and name it on the button while its filters are shown", async () => {
    serve({ views: [saved], default: null, warnings: [] });
    const onChange = vi.fn();
    renderWithProviders(<Routed onChange={onChange} />);
    await screen.findAllByTestId("row");
    expect(screen.getByTestId("views-button").textContent).toBe("Views");
    openViews();
    fireEvent.click(await within(panel()).findByRole("button", { name: "Admin" }));
    expect(onChange).toHaveBeenCalledWith([{ column: "event_type", op: "eq", value: "admin" }], { column: "id", descending: true });
    expect(screen.queryByRole("group", { name: "Saved views" })).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId("views-button"));
    await waitFor(() => expect(headerNames()).toEqual(["message", "id", "additional_data", "created_at"]));
    expect(screen.getByTestId("views-button").textContent).toBe("View: Admin");
    // a filter changed by hand: the table no longer shows the view
    fireEvent.click(screen.getAllByRole("button", { name: /Remove filter/ })[0]);
    await waitFor(() => expect(screen.getByTestId("views-button").textContent).toBe("Views"));
  });

  it("save the current filters, sort and layout, asking before replacing a view of the same name", async () => {
    const calls = serve({ views: [saved], default: null, warnings: [] });
    renderTable([{ column: "message", op: "contains", value: "x" }], { column: "created_at", descending: false });
    await screen.findAllByTestId("row");
    openViews();
    fireEvent.click(await within(panel()).findByTestId("views-save-current"));
    const name = within(panel()).getByTestId("views-name");
    expect(document.activeElement).toBe(name);
    fireEvent.change(name, { target: { value: " Admin " } });
    fireEvent.change(within(panel()).getByTestId("views-page-size"), { target: { value: "50" } });
    fireEvent.click(within(panel()).getByTestId("views-save"));
    // the name is taken: nothing is written until the replacement is confirmed
    expect(within(panel()).getByRole("alert").textContent).toContain("A view named “Admin” exists. Replace it?");
    expect(calls.some((c) => c.cmd === "save_view")).toBe(false);
    fireEvent.click(within(panel()).getByTestId("views-replace"));
    await waitFor(() => expect(calls.some((c) => c.cmd === "save_view")).toBe(true));
    const sent = calls.find((c) => c.cmd === "save_view")?.args as { screen: string; view: View; overwrite: boolean };
    expect(sent.screen).toBe("audit_log");
    expect(sent.overwrite).toBe(true);
    expect(sent.view).toMatchObject({
      name: "Admin",
      chips: [{ column: "message", op: "contains", value: "x" }],
      sort: { column: "created_at", descending: false },
      page_size: 50,
    });
    expect(sent.view.columns.map((c) => c.name)).toEqual(["id", "event_type", "message", "additional_data", "created_at"]);
    expect(sent.view.columns.every((c) => !c.hidden && c.width >= 40)).toBe(true);
    await waitFor(() => expect(limits(calls)).toContain(50));
    expect(screen.getByTestId("views-button").textContent).toBe("View: Admin");
  });

  it("set a default and delete a view, asking before deleting", async () => {
    const calls = serve({ views: [saved], default: null, warnings: ["users: a second view named \"x\" was dropped"] });
    renderTable();
    await screen.findAllByTestId("row");
    openViews();
    expect(await within(panel()).findByText(/a second view named "x" was dropped/)).toBeTruthy();
    fireEvent.click(within(panel()).getByRole("button", { name: "Set “Admin” as default" }));
    await waitFor(() => expect(within(panel()).getByRole("button", { name: "No default view (now “Admin”)" })).toBeTruthy());
    expect(calls.find((c) => c.cmd === "set_default_view")?.args).toEqual({ screen: "audit_log", name: "Admin" });

    fireEvent.click(within(panel()).getByRole("button", { name: "Delete “Admin”" }));
    expect(calls.some((c) => c.cmd === "delete_view")).toBe(false);
    expect(document.activeElement).toBe(within(panel()).getByTestId("views-delete-confirm"));
    // Esc leaves the question, not the menu
    fireEvent.keyDown(document.activeElement as Element, { key: "Escape" });
    expect(calls.some((c) => c.cmd === "delete_view")).toBe(false);
    fireEvent.click(within(panel()).getByRole("button", { name: "Delete “Admin”" }));
    fireEvent.click(within(panel()).getByTestId("views-delete-confirm"));
    expect(await within(panel()).findByTestId("views-none")).toBeTruthy();
    expect(calls.find((c) => c.cmd === "delete_view")?.args).toEqual({ screen: "audit_log", name: "Admin" });
  });

  it("show why the views file could not be read, and keep the table working", async () => {
    mockBackend((cmd) => {
      if (cmd === "table_columns") return COLUMNS;
      if (cmd === "count_rows") return { value: 2, kind: "exact" };
      if (cmd === "list_rows") return { rows: [row(1), row(2)], next_cursor: null, total: null };
      if (cmd === "list_views")
        return Promise.reject({ kind: "invalid", message: "invalid views: views.json is not a valid saved-views file", field: "views" });
      return new Promise(() => {});
    });
    renderTable();
    expect(await screen.findAllByTestId("row")).toHaveLength(2);
    openViews();
    expect((await within(panel()).findByRole("alert")).textContent).toContain("views.json is not a valid saved-views file");
  });
});
