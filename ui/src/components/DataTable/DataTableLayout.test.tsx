// The table's layout as people set it (widths, shown columns, order, kept per table), pinned row
// actions, copying, and the drawer's order and labels, against a mocked IPC.
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { Row } from "../../api";
import { renderWithProviders } from "../../test/ipc";
import { DataTable } from "./DataTable";
import { backend, row } from "./DataTable.fixtures";

// jsdom has no canvas: text is 10 px a character here
vi.mock("./measureText", async (original) => ({
  ...(await original<typeof import("./measureText")>()),
  textWidth: (text: string) => text.length * 10,
}));

const STORED = "whodis.tableLayout.audit_log";
const LONG = "a message long enough to set the width";

function renderTable(actions?: (row: Row) => React.ReactNode) {
  return renderWithProviders(
    <DataTable table="audit_log" chips={[]} sort={null} leading={["created_at"]} onQueryChange={vi.fn()} actions={actions} />,
  );
}

function serve(rows: Row[] = [row(1), row(2), { ...row(3), message: LONG }]) {
  backend({ null: { rows, next_cursor: null, total: { value: rows.length, kind: "exact" } } });
}

const headerNames = () => screen.getAllByRole("columnheader").map((h) => h.textContent?.replace(/ [▾▴]$/, ""));
const headTemplate = () => (screen.getByRole("grid").querySelector(".grid-head") as HTMLElement).style.gridTemplateColumns;
const rowTemplate = () => screen.getAllByTestId("row")[0].style.gridTemplateColumns;
/** Each shown column's width, from the header's template. */
const widths = () => Object.fromEntries(headerNames().map((name, i) => [name, headTemplate().split(" ")[i]]));
const edge = (column: string) => screen.getByRole("separator", { name: `Width of ${column}` });
const openColumns = () => fireEvent.click(screen.getByTestId("columns-button"));

let writeText: ReturnType<typeof vi.fn>;
beforeEach(() => {
  writeText = vi.fn().mockResolvedValue(undefined);
  Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
});
afterEach(() => {
  clearMocks();
  localStorage.clear();
});

describe("column widths", () => {
  it("start by what a column holds: ids narrow, text and JSON wide, times whole", async () => {
    serve();
    renderTable();
    await screen.findAllByTestId("row");
    expect(widths()).toEqual({ created_at: "165px", id: "90px", event_type: "130px", message: "340px", additional_data: "300px" });
    // the leftover room goes last, and the header and the rows share one template
    expect(headTemplate()).toMatch(/ minmax\(0(px)?, 1fr\)$/);
    expect(rowTemplate()).toBe(headTemplate());
  });

  it("follow a drag of a header's right edge, in the header and the rows, and are kept", async () => {
    serve();
    const first = renderTable();
    await screen.findAllByTestId("row");
    fireEvent.mouseDown(edge("message"), { button: 0, clientX: 500 });
    fireEvent.mouseMove(window, { clientX: 530 });
    fireEvent.mouseMove(window, { clientX: 560 });
    fireEvent.mouseUp(window);
    expect(widths().message).toBe("400px");
    expect(rowTemplate()).toBe(headTemplate());
    // the mouse let go: moving it changes nothing more
    fireEvent.mouseMove(window, { clientX: 900 });
    expect(widths().message).toBe("400px");

    first.unmount();
    renderTable();
    await screen.findAllByTestId("row");
    expect(widths().message).toBe("400px");
  });

  it("fit the header and the widest rendered cell on a double-click of the edge", async () => {
    serve();
    renderTable();
    await screen.findAllByTestId("row");
    fireEvent.doubleClick(edge("message"));
    // 10 px a character (mocked) and 6 px of room
    expect(widths().message).toBe(`${LONG.length * 10 + 6}px`);
    // a column whose header is wider than its cells fits the header, with room for the arrow
    fireEvent.doubleClick(edge("event_type"));
    expect(widths().event_type).toBe(`${"event_type".length * 10 + 24}px`);
  });

  it("move with the arrow keys on a focused edge, without moving the selection", async () => {
    serve();
    renderTable();
    await screen.findAllByTestId("row");
    fireEvent.keyDown(edge("id"), { key: "ArrowRight" });
    fireEvent.keyDown(edge("id"), { key: "ArrowDown" });
    expect(widths().id).toBe("100px");
    expect(screen.getAllByTestId("row").some((r) => r.getAttribute("aria-selected") === "true")).toBe(false);
  });
});

describe("pinned row actions", () => {
  it("take the last column, after the leftover room, in the header and every row", async () => {
    serve();
    renderTable((r) => <button>Act on {String(r.id)}</button>);
    const rows = await screen.findAllByTestId("row");
    expect(headTemplate()).toMatch(/ minmax\(0(px)?, 1fr\) 90px$/);
    expect(rows[0].lastElementChild?.className).toBe("row-actions");
    expect(within(rows[0].lastElementChild as HTMLElement).getByText("Act on 1")).toBeTruthy();
    expect(screen.getByRole("grid").querySelector(".grid-head")?.lastElementChild?.className).toBe("row-actions");
  });
});

describe("the Columns menu", () => {
  it("hides, shows and reorders columns, keeps at least one, and keeps the layout until reset", async () => {
    serve();
    const first = renderTable();
    await screen.findAllByTestId("row");
    openColumns();
    const menu = screen.getByRole("group", { name: "Columns" });
    const box = (name: string) => within(menu).getByLabelText(name) as HTMLInputElement;
    // the menu opens on its first checkbox, for the keyboard
    expect(document.activeElement).toBe(box("created_at"));

    fireEvent.click(box("additional_data"));
    fireEvent.click(within(menu).getByLabelText("Move message up"));
    fireEvent.click(within(menu).getByLabelText("Move created_at down"));
    expect(headerNames()).toEqual(["id", "created_at", "message", "event_type"]);
    // focus stays on the button that moved, for the next press
    expect(document.activeElement).toBe(within(menu).getByLabelText("Move created_at down"));
    expect(within(screen.getAllByTestId("row")[0]).getAllByRole("cell").map((c) => c.textContent)).toEqual([
      "1",
      "2026-11-24 10:00:00",
      "event 1",
      "admin",
    ]);

    for (const name of ["id", "created_at", "message"]) fireEvent.click(box(name));
    expect(headerNames()).toEqual(["event_type"]);
    expect(box("event_type").disabled).toBe(true);

    // Esc closes the menu and returns to its button
    fireEvent.keyDown(box("event_type"), { key: "Escape" });
    expect(screen.queryByRole("group", { name: "Columns" })).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId("columns-button"));

    first.unmount();
    renderTable();
    await screen.findAllByTestId("row");
    expect(headerNames()).toEqual(["event_type"]);

    openColumns();
    fireEvent.click(screen.getByText("Reset layout"));
    expect(headerNames()).toEqual(["created_at", "id", "event_type", "message", "additional_data"]);
    expect(localStorage.getItem(STORED)).toBeNull();
  });

  it("reads back only what makes sense: unknown columns and malformed values are ignored", async () => {
    localStorage.setItem(
      STORED,
      JSON.stringify({ widths: { message: "wide", id: 120, gone: 500 }, hidden: ["gone", 7, "event_type"], order: ["gone", "message"] }),
    );
    serve();
    renderTable();
    await screen.findAllByTestId("row");
    expect(headerNames()).toEqual(["message", "created_at", "id", "additional_data"]);
    expect(widths()).toMatchObject({ message: "340px", id: "120px" });
  });

  it("shows every column again when what was stored would hide them all, and survives storage that is not JSON", async () => {
    localStorage.setItem(STORED, JSON.stringify({ hidden: ["id", "event_type", "message", "additional_data", "created_at"] }));
    serve();
    const first = renderTable();
    await screen.findAllByTestId("row");
    expect(headerNames()).toHaveLength(5);
    first.unmount();
    localStorage.setItem(STORED, "{not json");
    renderTable();
    await screen.findAllByTestId("row");
    expect(headerNames()).toHaveLength(5);
  });
});

describe("copying", () => {
  it("copies the selected row with Ctrl+C as tab-separated shown columns in shown order", async () => {
    serve();
    renderTable();
    await screen.findAllByTestId("row");
    openColumns();
    fireEvent.click(within(screen.getByRole("group", { name: "Columns" })).getByLabelText("additional_data"));
    const grid = screen.getByRole("grid");
    // nothing selected: nothing copied
    fireEvent.keyDown(grid, { key: "c", ctrlKey: true });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(writeText).not.toHaveBeenCalled();

    fireEvent.keyDown(grid, { key: "ArrowDown" });
    fireEvent.keyDown(grid, { key: "ArrowDown" });
    fireEvent.keyDown(grid, { key: "c", ctrlKey: true });
    await waitFor(() => expect(writeText).toHaveBeenCalledWith("2026-11-24 10:00:00\t2\tadmin\tevent 2"));
    expect((await screen.findByTestId("toast")).textContent).toContain("Copied the row");
  });

  it("copies the rows held as CSV with a header line, never a sensitive or byte column", async () => {
    serve([row(1), { ...row(2), message: 'says "hi", twice', api_secret: "s3cret", photo: "AAAA" }]);
    renderTable();
    await screen.findAllByTestId("row");
    fireEvent.click(screen.getByTestId("copy-csv"));
    await waitFor(() => expect(writeText).toHaveBeenCalled());
    const csv = writeText.mock.calls[0][0] as string;
    expect(csv.split("\r\n")).toEqual([
      "created_at,id,event_type,message,additional_data",
      '2026-11-24 10:00:00,1,admin,event 1,"{""operation"":""users.update"",""id"":1}"',
      '2026-11-24 10:00:00,2,admin,"says ""hi"", twice","{""operation"":""users.update"",""id"":2}"',
      "",
    ]);
    expect(csv).not.toContain("s3cret");
    expect((await screen.findByTestId("toast")).textContent).toContain("Copied 2 rows as CSV");
  });

  it("says so when the clipboard refuses", async () => {
    writeText.mockRejectedValue(new Error("the clipboard is not available"));
    serve();
    renderTable();
    await screen.findAllByTestId("row");
    fireEvent.click(screen.getByTestId("copy-csv"));
    expect((await screen.findByTestId("toast")).textContent).toContain("the clipboard is not available");
  });
});

describe("the drawer", () => {
  it("has a friendly title and the fields in the shown order under friendly labels, hidden ones last", async () => {
    serve([{ ...row(8), user_agent: "curl/8" }]);
    renderTable();
    await screen.findAllByTestId("row");
    openColumns();
    const menu = screen.getByRole("group", { name: "Columns" });
    fireEvent.click(within(menu).getByLabelText("Move message up"));
    fireEvent.click(within(menu).getByLabelText("event_type"));
    fireEvent.click(screen.getAllByTestId("row")[0]);
    const drawer = screen.getByTestId("detail-drawer");
    expect(within(drawer).getByRole("heading").textContent).toBe("Audit log #8");
    expect([...drawer.querySelectorAll("dt")].map((dt) => dt.textContent)).toEqual([
      "Created at",
      "ID",
      "Message",
      "Additional data",
      "Event type",
      "User agent",
    ]);
  });
});
