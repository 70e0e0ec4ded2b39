import { screen, waitFor } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";

import { mockBackend, renderWithProviders } from "../test/ipc";
import { ActionButton } from "./ActionButton";

afterEach(() => clearMocks());

describe("action buttons follow the operator's grants", () => {
  it("disables what the role cannot do, with the reason (or the required role) as tooltip", async () => {
    mockBackend((cmd) => {
      if (cmd !== "session_info") throw new Error(cmd);
      return {
        database: "db",
        backend: "sqlite",
        operator: { email: "v@corp.test", role: "viewer" },
        read_only_reason: null,
        keyring_problem: null,
        app_session_id: "s",
        grants: [
          { permission: "read", allowed: true, required_role: "viewer", reason: null },
          { permission: "edit_profiles", allowed: false, required_role: "editor", reason: null },
          { permission: "manage_keys", allowed: false, required_role: "admin", reason: "keys are admin-only" },
        ],
      };
    });
    renderWithProviders(
      <>
        <ActionButton permission="read" title="Export rows" data-testid="read">
          Export
        </ActionButton>
        <ActionButton permission="edit_profiles" title="Replace photo" data-testid="edit">
          Replace
        </ActionButton>
        <ActionButton permission="manage_keys" data-testid="keys">
          Rotate
        </ActionButton>
      </>,
    );
    const button = (id: string) => screen.getByTestId(id) as HTMLButtonElement;
    // until the session is known, nothing is offered
    expect(button("read").disabled).toBe(true);
    await waitFor(() => expect(button("read").disabled).toBe(false));
    expect(button("read").title).toBe("Export rows");
    expect(button("edit").disabled).toBe(true);
    expect(button("edit").title).toBe("Requires the editor role");
    expect(button("keys").disabled).toBe(true);
    expect(button("keys").title).toBe("Keys are admin-only");
  });
});
