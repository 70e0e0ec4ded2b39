// The detail drawer: every field of the row, a field the screen renders itself (a link, a size)
// as the screen says, the others by their value.
import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { Drawer } from "./Drawer";

describe("Drawer", () => {
  it("renders a field through renderField where it answers, else by its value", () => {
    const row = { id: 7, department_id: 3, content: 2048, name: "Ada" };
    render(
      <Drawer
        title="Row 7"
        row={row}
        onClose={() => {}}
        renderField={(name, r) =>
          name === "department_id" ? <a href={`#/table/departments?f=id~eq~${String(r[name])}`}>{String(r[name])} →</a> : name === "content" ? <span>2 KiB</span> : undefined
        }
      />,
    );
    expect(screen.getByRole("link", { name: "3 →" }).getAttribute("href")).toBe("#/table/departments?f=id~eq~3");
    expect(screen.getByText("2 KiB")).toBeTruthy();
    expect(screen.getByText("Ada")).toBeTruthy();
    expect(screen.queryByText("2048")).toBeNull();
  });
});
