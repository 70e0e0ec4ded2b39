// Connections against a mocked IPC: the open one is marked, and a saved profile is edited in the
// same form, keeping its keyring password unless a new one is typed.
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";

import { mockBackend, renderWithProviders, type Call } from "../../test/ipc";
import { ConnectionsScreen } from "./ConnectionsScreen";

const PROD = {
  id: "p1",
  name: "Prod",
  target: { kind: "postgres", host: "db.internal", port: 5432, database: "whodis", user: "whodis", tls: "require" },
  operator: "admin@corp.test",
};
const DEMO = { id: "embedded", name: "Demo", target: { kind: "embedded" }, operator: null };

function backend(): Call[] {
  return mockBackend((cmd) => {
    switch (cmd) {
      case "session_info":
        return new Promise(() => {});
      case "list_connections":
        return [
          { profile: DEMO, active: true },
          { profile: PROD, active: false },
        ];
      case "save_connection":
        return PROD;
      default:
        throw new Error(`unexpected command ${cmd}`);
    }
  });
}

afterEach(() => clearMocks());

const edit = async () => {
  const card = await screen.findByTestId("connection-Prod");
  fireEvent.click(within(card).getByTestId("connection-edit"));
  return screen.getByTestId("connection-form");
};

describe("connections", () => {
  it("marks the open connection and offers Edit only for saved profiles", async () => {
    backend();
    renderWithProviders(<ConnectionsScreen onOpened={() => {}} />);
    const demo = await screen.findByTestId("connection-Demo");
    expect(demo.getAttribute("aria-current")).toBe("true");
    expect(within(demo).getByTestId("connection-active").textContent).toBe("open");
    expect(within(demo).queryByTestId("connection-edit")).toBeNull();
    expect(screen.getByTestId("connection-Prod").getAttribute("aria-current")).toBeNull();
  });

  it("edits a saved profile in the filled form and keeps its password when none is typed", async () => {
    const calls = backend();
    renderWithProviders(<ConnectionsScreen onOpened={() => {}} />);
    const form = await edit();
    expect((screen.getByTestId("connection-name") as HTMLInputElement).value).toBe("Prod");
    expect((screen.getByLabelText("Host") as HTMLInputElement).value).toBe("db.internal");
    expect((screen.getByTestId("connection-operator") as HTMLInputElement).value).toBe("admin@corp.test");
    expect(screen.getByTestId("connection-password-hint").textContent).toBe("Leave empty to keep the saved password.");

    fireEvent.change(screen.getByTestId("connection-name"), { target: { value: "Production" } });
    fireEvent.submit(form);
    await screen.findByText("Saved Prod");
    // the profile's id and no password: the backend keeps the one in the keyring
    expect(calls.find((c) => c.cmd === "save_connection")?.args).toEqual({
      req: {
        id: "p1",
        name: "Production",
        operator: "admin@corp.test",
        target: PROD.target,
        password: null,
        production: false,
        colour: null,
        read_only: false,
      },
    });
    await waitFor(() => expect(screen.queryByTestId("connection-form")).toBeNull());
  });

  it("says the password must be typed again when the server changes, and sends a typed one", async () => {
    const calls = backend();
    renderWithProviders(<ConnectionsScreen onOpened={() => {}} />);
    const form = await edit();
    fireEvent.change(screen.getByLabelText("Host"), { target: { value: "db2.internal" } });
    expect(screen.getByTestId("connection-password-hint").textContent).toMatch(/^The host, port, user or TLS mode changed: type the password again/);
    fireEvent.change(screen.getByTestId("connection-password"), { target: { value: "s3cret" } });
    fireEvent.submit(form);
    await screen.findByText("Saved Prod");
    expect(calls.find((c) => c.cmd === "save_connection")?.args).toEqual({
      req: {
        id: "p1",
        name: "Prod",
        operator: "admin@corp.test",
        target: { ...PROD.target, host: "db2.internal" },
        password: "s3cret",
        production: false,
        colour: null,
        read_only: false,
      },
    });
  });

  it("marks a profile production, with its colour, and read-only", async () => {
    const calls = backend();
    renderWithProviders(<ConnectionsScreen onOpened={() => {}} />);
    const form = await edit();
    expect(screen.queryByTestId("connection-colour")).toBeNull();
    fireEvent.click(screen.getByTestId("connection-production-mark"));
    fireEvent.change(screen.getByTestId("connection-colour"), { target: { value: "#004488" } });
    fireEvent.click(screen.getByTestId("connection-read-only-mark"));
    fireEvent.submit(form);
    await screen.findByText("Saved Prod");
    expect(calls.find((c) => c.cmd === "save_connection")?.args).toMatchObject({
      req: { id: "p1", production: true, colour: "#004488", read_only: true },
    });
  });
});
