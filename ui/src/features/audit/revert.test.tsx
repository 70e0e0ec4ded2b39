import { fireEvent, screen, waitFor } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";

import type { RevertPreview } from "../../api";
import { mockBackend, renderWithProviders } from "../../test/ipc";
import { RevertChange } from "./RevertChange";
import { describeRevert, revertButton } from "./revert";

const UPDATE: RevertPreview = {
  audit_id: 41,
  table: "users",
  row_id: 7,
  change: "update",
  permission: "manage_users",
  blocked: null,
  fields: [{ field: "role", after: "editor", before: "viewer" }],
};
const allowed = () => ({ allowed: true, reason: "" });
const refused = () => ({ allowed: false, reason: "Requires the admin role; vi@corp.test is viewer" });

describe("revert button", () => {
  it("waits for the preview, then says why a change cannot be reverted", () => {
    expect(revertButton(undefined, allowed).enabled).toBe(false);
    const secret = { ...UPDATE, blocked: "audit row 41 cannot be reverted: configuration.value is a secret" };
    expect(revertButton(secret, allowed)).toEqual({
      enabled: false,
      reason: "Audit row 41 cannot be reverted: configuration.value is a secret",
    });
    expect(revertButton({ ...UPDATE, permission: null }, allowed).enabled).toBe(false);
  });

  it("needs the permission the change needed", () => {
    const asked: string[] = [];
    expect(revertButton(UPDATE, (p) => (asked.push(p), refused()))).toEqual({
      enabled: false,
      reason: "Requires the admin role; vi@corp.test is viewer",
    });
    expect(asked).toEqual(["manage_users"]);
    expect(revertButton(UPDATE, allowed)).toEqual({ enabled: true, reason: "" });
  });

  it("names what a revert changes, by the kind of change reverted", () => {
    expect(describeRevert(UPDATE)).toEqual({
      summary: "Set 1 field of users 7 back to what it was before this change.",
      fields: [{ field: "role", from: "editor", to: "viewer" }],
    });
    expect(describeRevert({ ...UPDATE, change: "create" }).summary).toBe("Delete users 7, which this change created.");
    expect(describeRevert({ ...UPDATE, change: "delete" }).summary).toBe(
      "Recreate users 7, which this change deleted, with the values it had.",
    );
  });
});

const GRANTS = [{ permission: "manage_users", allowed: true, required_role: "admin", reason: null }];

afterEach(() => clearMocks());

describe("revert in the audit drawer", () => {
  it("asks first, naming the change, and shows a conflict's message", async () => {
    const calls = mockBackend((cmd) => {
      if (cmd === "session_info") return { grants: GRANTS, operator: { email: "root@corp.test", role: "admin" } };
      if (cmd === "revert_preview") return UPDATE;
      if (cmd === "revert_change")
        return Promise.reject({
          kind: "conflict",
          message: "User 7 changed since this change: role is now 'admin' (this change left 'editor')",
          field: null,
        });
      return new Promise(() => {});
    });
    renderWithProviders(<RevertChange auditId={41} />);
    const button = screen.getByTestId("revert-change-button") as HTMLButtonElement;
    await waitFor(() => expect(button.disabled).toBe(false));
    fireEvent.click(button);
    expect(screen.getByText("Set 1 field of users 7 back to what it was before this change.")).toBeTruthy();
    expect(calls.some((c) => c.cmd === "revert_change")).toBe(false);
    fireEvent.click(screen.getByTestId("confirm"));
    const alert = await screen.findByTestId("revert-change-error");
    expect(alert.textContent).toContain("role is now 'admin'");
    expect(calls.filter((c) => c.cmd === "revert_change")).toEqual([{ cmd: "revert_change", args: { auditId: 41 } }]);
  });

  it("is disabled with the reason when the log cannot revert the change", async () => {
    mockBackend((cmd) => {
      if (cmd === "session_info") return { grants: GRANTS, operator: { email: "root@corp.test", role: "admin" } };
      if (cmd === "revert_preview")
        return { ...UPDATE, blocked: "audit row 41 cannot be reverted: it was written by WhoDis/2.1" };
      return new Promise(() => {});
    });
    renderWithProviders(<RevertChange auditId={41} />);
    const reason = await screen.findByTestId("revert-change-reason");
    expect(reason.textContent).toBe("Audit row 41 cannot be reverted: it was written by WhoDis/2.1");
    const button = screen.getByTestId("revert-change-button") as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(button.title).toBe(reason.textContent);
  });
});
