// Saved views, the pure half: the current state as a view, a view onto the columns a table has
// now, and the name typed for "Save current view…".
import { describe, expect, it } from "vitest";

import type { Column, View } from "../../api";
import type { Chip } from "../../lib/query";
import { resolveLayout } from "./columnLayout";
import { COLUMNS } from "./DataTable.fixtures";
import { applyView, checkViewName, DEFAULT_PAGE_SIZE, showsView, viewOf } from "./savedViews";
import { shownColumns } from "./columns";

const own = shownColumns(COLUMNS as Column[]);
const names = own.map((c) => c.name);

const CHIPS: Chip[] = [
  { column: "event_type", op: "eq", value: "admin" },
  { column: "*", op: "contains", value: "alice" },
];

const saved: View = {
  name: "Admin, newest",
  chips: CHIPS,
  sort: { column: "created_at", descending: true },
  columns: [
    { name: "created_at", width: 170, hidden: false },
    { name: "message", width: 400, hidden: false },
    { name: "id", width: 90, hidden: true },
    { name: "event_type", width: 130, hidden: false },
    { name: "additional_data", width: 300, hidden: true },
  ],
  page_size: 200,
};

describe("viewOf", () => {
  it("keeps the filters, the sort, every column in its order with its width and whether it shows, and the page size", () => {
    const layout = resolveLayout(own, ["created_at"], {
      widths: { message: 400, created_at: 170 },
      hidden: ["id", "additional_data"],
      order: ["created_at", "message", "id", "event_type", "additional_data"],
    });
    const view = viewOf("  Admin, newest ", CHIPS, { column: "created_at", descending: true }, layout, 200);
    expect(view).toEqual(saved);
  });

  it("keeps widths within the bounds the file accepts", () => {
    const layout = { ...resolveLayout(own, [], { widths: {}, hidden: [], order: [] }), widths: { id: 5, event_type: 99_999 } };
    const view = viewOf("x", [], null, layout, DEFAULT_PAGE_SIZE);
    expect(view.columns.find((c) => c.name === "id")?.width).toBe(40);
    expect(view.columns.find((c) => c.name === "event_type")?.width).toBe(1200);
    // a column without a width set gets the smallest, never a value the file refuses
    expect(view.columns.find((c) => c.name === "message")?.width).toBe(40);
    expect(view.sort).toBeNull();
  });
});

describe("applyView", () => {
  it("sets the filters, the sort, the layout and the page size on a table that has every column", () => {
    const applied = applyView(saved, own, names);
    expect(applied.chips).toEqual(saved.chips);
    expect(applied.sort).toEqual({ column: "created_at", descending: true });
    expect(applied.pageSize).toBe(200);
    const layout = resolveLayout(own, [], applied.layout);
    expect(layout.shown).toEqual(["created_at", "message", "event_type"]);
    expect(layout.widths.message).toBe(400);
  });

  it("ignores the columns the table no longer has: their filters, their sort and their place", () => {
    const gone: View = {
      ...saved,
      chips: [...saved.chips, { column: "removed_col", op: "eq", value: "1" }],
      sort: { column: "removed_col", descending: false },
      columns: [{ name: "removed_col", width: 200, hidden: false }, ...saved.columns],
    };
    const fewer = own.filter((c) => c.name !== "message");
    const applied = applyView(gone, fewer, fewer.map((c) => c.name));
    expect(applied.chips).toEqual(saved.chips);
    expect(applied.sort).toBeNull();
    expect(applied.layout.order).toEqual(["created_at", "id", "event_type", "additional_data"]);
    expect(Object.keys(applied.layout.widths)).not.toContain("removed_col");
    expect(resolveLayout(fewer, [], applied.layout).shown).toEqual(["created_at", "event_type"]);
  });

  it("drops a sort on a column that cannot be sorted, an unknown operator, and a page size the engine refuses", () => {
    const odd: View = {
      ...saved,
      chips: [{ column: "id", op: "like", value: "1" }],
      sort: { column: "message", descending: false },
      page_size: 100_000,
    };
    const applied = applyView(odd, own, names);
    expect(applied.chips).toEqual([]);
    expect(applied.sort).toBeNull();
    expect(applied.pageSize).toBe(DEFAULT_PAGE_SIZE);
  });

  it("shows every column when the view would hide all those the table still has", () => {
    const hidesAll: View = { ...saved, columns: saved.columns.map((c) => ({ ...c, hidden: c.name !== "message" })) };
    const fewer = own.filter((c) => c.name !== "message");
    const applied = applyView(hidesAll, fewer, fewer.map((c) => c.name));
    expect(resolveLayout(fewer, [], applied.layout).shown).toHaveLength(fewer.length);
  });

  it("round-trips: a view of the current state applied again gives the same state", () => {
    const layout = resolveLayout(own, [], applyView(saved, own, names).layout);
    const again = applyView(viewOf(saved.name, CHIPS, saved.sort, layout, 200), own, names);
    expect(resolveLayout(own, [], again.layout)).toEqual(layout);
    expect(showsView(saved, own, again.chips, again.sort)).toBe(true);
    expect(showsView(saved, own, [], again.sort)).toBe(false);
    expect(showsView(saved, own, again.chips, null)).toBe(false);
    // a filter on a column gone since is not missed
    const withGone = { ...saved, chips: [...saved.chips, { column: "gone", op: "eq", value: "1" }] };
    expect(showsView(withGone, own, again.chips, again.sort)).toBe(true);
  });
});

describe("checkViewName", () => {
  const views = [saved];
  it("trims, refuses empty, long and control-character names, and says when it replaces one", () => {
    expect(checkViewName("  Mine ", views)).toEqual({ ok: true, name: "Mine", replaces: false });
    expect(checkViewName(" Admin, newest", views)).toEqual({ ok: true, name: "Admin, newest", replaces: true });
    expect(checkViewName("   ", views)).toEqual({ ok: false, error: "Give the view a name." });
    expect(checkViewName("x".repeat(61), views)).toEqual({ ok: false, error: "At most 60 characters." });
    expect(checkViewName("é".repeat(60), views).ok).toBe(true);
    expect(checkViewName("a\tb", views)).toEqual({ ok: false, error: "No control characters." });
  });
});
