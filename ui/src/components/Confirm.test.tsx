// Confirm on a production connection asks for the database's name typed before its button works;
// elsewhere it is the plain dialog the screens (and the e2e scenarios) click through.
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it, vi } from "vitest";

import { ProtectionProvider, useProtection } from "../app/protection";
import { mockBackend, renderWithProviders } from "../test/ipc";
import { Confirm } from "./Confirm";

function connections(production: boolean) {
  mockBackend((cmd) => {
    if (cmd === "list_connections")
      return [
        {
          profile: {
            id: "p",
            name: "HR production",
            target: { kind: "postgres", host: "db", port: 5432, database: "hr_prod", user: "u", tls: "require" },
            operator: null,
            production,
            colour: "#c62828",
            read_only: false,
          },
          active: true,
          database_name: "hr_prod",
        },
      ];
    return new Promise(() => {});
  });
}

/** Shows the open connection's name once the profiles have loaded. */
function Loaded() {
  return <span data-testid="loaded">{useProtection()?.name}</span>;
}

function renderConfirm(onConfirm: () => void, typeToConfirm?: string | null) {
  renderWithProviders(
    <ProtectionProvider>
      <Loaded />
      <Confirm title="Delete user" action="Delete" onConfirm={onConfirm} onCancel={() => {}} typeToConfirm={typeToConfirm}>
        <p>Delete a@b.c?</p>
      </Confirm>
    </ProtectionProvider>,
  );
}

afterEach(() => clearMocks());

describe("Confirm", () => {
  it("on a production connection, acts only once the database's name is typed", async () => {
    connections(true);
    const onConfirm = vi.fn();
    renderConfirm(onConfirm);
    const box = await screen.findByTestId("confirm-typed");
    const button = screen.getByTestId("confirm") as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    fireEvent.click(button);
    expect(onConfirm).not.toHaveBeenCalled();
    fireEvent.change(box, { target: { value: "HR_PROD" } });
    expect(button.disabled).toBe(true);
    expect(screen.getByTestId("confirm-typed-hint").textContent).toBe("The name's case differs.");
    fireEvent.change(box, { target: { value: "hr_prod" } });
    expect(button.disabled).toBe(false);
    fireEvent.click(button);
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });

  it("elsewhere is the plain dialog: no box, the button works at once", async () => {
    connections(false);
    const onConfirm = vi.fn();
    renderConfirm(onConfirm);
    await waitFor(() => expect(screen.getByTestId("loaded").textContent).toBe("HR production"));
    expect(screen.queryByTestId("confirm-typed")).toBeNull();
    fireEvent.click(screen.getByTestId("confirm"));
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });

  it("asks for nothing when told so, even on production", async () => {
    connections(true);
    const onConfirm = vi.fn();
    renderConfirm(onConfirm, null);
    // the profiles have loaded: the box would be there now if it were asked for
    await waitFor(() => expect(screen.getByTestId("loaded").textContent).toBe("HR production"));
    expect(screen.queryByTestId("confirm-typed")).toBeNull();
    fireEvent.click(screen.getByTestId("confirm"));
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });
});
