// The at-once-with-Undo changes ask first on production (typed name) and act at once elsewhere.
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it, vi } from "vitest";

import { mockBackend, renderWithProviders } from "../test/ipc";
import { useProductionGate } from "./productionGate";
import { ProtectionProvider, useProtection } from "./protection";

function connections(production: boolean) {
  mockBackend((cmd) => {
    if (cmd === "list_connections")
      return [
        {
          profile: {
            id: "p",
            name: "HR",
            target: { kind: "sqlite", path: "/data/hr.db" },
            operator: null,
            production,
            colour: null,
            read_only: false,
          },
          active: true,
          database_name: "hr.db",
        },
      ];
    return new Promise(() => {});
  });
}

function Toggle({ act }: { act: () => void }) {
  const { gate, dialog } = useProductionGate();
  const loaded = useProtection() !== null;
  return (
    <>
      <button disabled={!loaded} onClick={() => gate({ title: "Change a role", action: "Make admin", text: "Make a@b.c admin?" }, act)}>
        toggle
      </button>
      {dialog}
    </>
  );
}

function renderToggle(act: () => void) {
  renderWithProviders(
    <ProtectionProvider>
      <Toggle act={act} />
    </ProtectionProvider>,
  );
}

afterEach(() => clearMocks());

describe("production gate", () => {
  it("acts at once on a connection that is not production", async () => {
    connections(false);
    const act = vi.fn();
    renderToggle(act);
    const button = screen.getByText("toggle") as HTMLButtonElement;
    await waitFor(() => expect(button.disabled).toBe(false));
    fireEvent.click(button);
    expect(act).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId("confirm")).toBeNull();
  });

  it("on production asks first and acts once the database's name is typed; Cancel does nothing", async () => {
    connections(true);
    const act = vi.fn();
    renderToggle(act);
    const button = screen.getByText("toggle") as HTMLButtonElement;
    await waitFor(() => expect(button.disabled).toBe(false));
    fireEvent.click(button);
    expect(act).not.toHaveBeenCalled();
    fireEvent.click(screen.getByText("Cancel"));
    expect(screen.queryByTestId("confirm")).toBeNull();
    fireEvent.click(button);
    fireEvent.change(screen.getByTestId("confirm-typed"), { target: { value: "hr.db" } });
    fireEvent.click(screen.getByTestId("confirm"));
    expect(act).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId("confirm")).toBeNull();
  });
});
