import { fireEvent, render, screen } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, it } from "vitest";

import { Dialog } from "./Dialog";
import { Drawer } from "./Drawer";

function Page() {
  const [drawer, setDrawer] = useState(true);
  const [dialog, setDialog] = useState(false);
  return (
    <>
      <button onClick={() => setDialog(true)}>Delete</button>
      {drawer && <Drawer title="users #1" row={{ id: 1 }} onClose={() => setDrawer(false)} />}
      {dialog && (
        <Dialog title="Delete user" onClose={() => setDialog(false)}>
          <input aria-label="Reason" />
          <button>Cancel</button>
          <button>Confirm</button>
        </Dialog>
      )}
    </>
  );
}

describe("dialog", () => {
  it("focuses its first field, keeps Tab inside, and Esc closes only the dialog", () => {
    render(<Page />);
    const opener = screen.getByText("Delete");
    opener.focus();
    fireEvent.click(opener);
    const reason = screen.getByLabelText("Reason");
    expect(document.activeElement).toBe(reason);

    screen.getByText("Confirm").focus();
    fireEvent.keyDown(document.activeElement!, { key: "Tab" });
    expect(document.activeElement).toBe(reason);
    fireEvent.keyDown(reason, { key: "Tab", shiftKey: true });
    expect(document.activeElement).toBe(screen.getByText("Confirm"));

    fireEvent.keyDown(document.activeElement!, { key: "Escape" });
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(screen.getByTestId("detail-drawer")).toBeTruthy();
    // focus goes back to what opened the dialog
    expect(document.activeElement).toBe(opener);

    // with no dialog open, Esc reaches the drawer
    fireEvent.keyDown(document.body, { key: "Escape" });
    expect(screen.queryByTestId("detail-drawer")).toBeNull();
  });
});
