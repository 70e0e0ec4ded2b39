// The compliance screen against a mocked IPC: a matrix cell changes at once and offers Undo (the
// inverse runs only when asked); a gap's fixes — the employee's role assigned or removed at once
// with Undo, or the job code's mapping, confirmed first — refused to a viewer; and the report
// narrowed to one employee by a linked chip.
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it, vi } from "vitest";

import { parseHash } from "../../app/route";
import { mockBackend, renderWithProviders, type Call } from "../../test/ipc";
import { ComplianceScreen } from "./ComplianceScreen";

const REPORT = {
  employees_checked: 3,
  gaps: [
    { email: "ana@corp.test", job_code: "CSR1", missing: [], extra: ["Phone"] },
    { email: "bo@corp.test", job_code: "CSR1", missing: ["Mail"], extra: [] },
  ],
  per_job_code: [{ job_code: "CSR1", employees: 3, compliant: 1, missing_roles: 1, extra_roles: 1 }],
};
const stamp = { description: null, created_at: null, updated_at: null };
const MATRIX = {
  job_codes: [{ id: 4, code: "CSR1", ...stamp }],
  roles: [
    { id: 12, role_name: "Mail", ...stamp },
    { id: 13, role_name: "Phone", ...stamp },
  ],
  // CSR1 requires Mail (mapping 70), not Phone
  mappings: [{ id: 70, job_code_id: 4, system_role_id: 12, created_at: null, updated_at: null }],
};

function backend(role: "editor" | "viewer", reply?: (cmd: string, args: Record<string, unknown>) => unknown): Call[] {
  const allowed = role === "editor";
  return mockBackend((cmd, args) => {
    const custom = reply?.(cmd, args);
    if (custom !== undefined) return custom;
    switch (cmd) {
      case "session_info":
        return {
          database: "sqlite:///tmp/test.db",
          backend: "sqlite",
          operator: { email: `${role}@corp.test`, role },
          read_only_reason: null,
          keyring_problem: null,
          app_session_id: "abc",
          grants: [
            {
              permission: "edit_compliance",
              allowed,
              required_role: "editor",
              reason: allowed ? null : `requires the editor role; ${role}@corp.test is ${role}`,
            },
            { permission: "export", allowed: true, required_role: "viewer", reason: null },
          ],
        };
      case "compliance_report":
        return REPORT;
      case "compliance_matrix":
        return MATRIX;
      case "add_mapping":
        return { id: 71, job_code_id: 4, system_role_id: 13, created_at: null, updated_at: null };
      case "remove_mapping":
        return null;
      case "assign_role":
        return { id: 900, employee_email: "bo@corp.test", system_role_id: 12, source: "whodis-admin", assigned_at: "2026-11-01T00:00:00Z", created_at: null, updated_at: null };
      case "unassign_role":
        return null;
      default:
        throw new Error(`unexpected command ${cmd}`);
    }
  });
}

afterEach(() => clearMocks());

const openReport = async () => {
  fireEvent.click(screen.getByTestId("tab-report"));
  return screen.findAllByTestId("compliance-gap");
};
const enabled = async (el: HTMLElement) => waitFor(() => expect((el as HTMLButtonElement).disabled).toBe(false));

const commands = (calls: Call[]) => calls.map((c) => c.cmd).filter((cmd) => cmd.endsWith("_mapping"));

describe("compliance matrix", () => {
  it("adds a mapping at once and offers Undo, which removes that mapping by its new id only when pressed", async () => {
    const calls = backend("editor");
    renderWithProviders(<ComplianceScreen />);
    const phone = (await screen.findByTestId("mapping-4-13")) as HTMLInputElement;
    await enabled(phone);
    await waitFor(() => expect(calls.some((c) => c.cmd === "compliance_report")).toBe(true));
    fireEvent.click(phone);
    // no question: the change is made, and the toast says whom it reaches
    expect(screen.queryByRole("dialog")).toBeNull();
    const toast = (await screen.findByText("CSR1 now requires Phone (2 of its 3 employees do not hold it)")).closest("[data-testid=toast]") as HTMLElement;
    expect(calls.find((c) => c.cmd === "add_mapping")?.args).toEqual({ req: { job_code_id: 4, system_role_id: 13 } });
    expect(commands(calls)).toEqual(["add_mapping"]);

    fireEvent.click(within(toast).getByRole("button", { name: "Undo" }));
    await screen.findByText("Undone: CSR1 no longer requires Phone");
    expect(commands(calls)).toEqual(["add_mapping", "remove_mapping"]);
    expect(calls.find((c) => c.cmd === "remove_mapping")?.args).toEqual({ req: { id: 71 } });
  });

  it("removes a mapping at once; Undo adds the same job code and role back", async () => {
    const calls = backend("editor");
    renderWithProviders(<ComplianceScreen />);
    const mail = (await screen.findByTestId("mapping-4-12")) as HTMLInputElement;
    await enabled(mail);
    expect(mail.checked).toBe(true);
    fireEvent.click(mail);
    await screen.findByText(/^CSR1 no longer requires Mail/);
    expect(calls.find((c) => c.cmd === "remove_mapping")?.args).toEqual({ req: { id: 70 } });
    expect(commands(calls)).toEqual(["remove_mapping"]);
    fireEvent.click(screen.getByRole("button", { name: "Undo" }));
    await screen.findByText("Undone: CSR1 requires Mail again");
    expect(commands(calls)).toEqual(["remove_mapping", "add_mapping"]);
    expect(calls.find((c) => c.cmd === "add_mapping")?.args).toEqual({ req: { job_code_id: 4, system_role_id: 12 } });
  });

  it("says what could not be undone when the inverse fails", async () => {
    const calls = backend("editor", (cmd) =>
      cmd === "remove_mapping" ? Promise.reject({ kind: "not_found", message: "job_role_mappings #71 not found" }) : undefined,
    );
    renderWithProviders(<ComplianceScreen />);
    const phone = (await screen.findByTestId("mapping-4-13")) as HTMLInputElement;
    await enabled(phone);
    fireEvent.click(phone);
    await screen.findByText(/^CSR1 now requires Phone/);
    const matrixReads = calls.filter((c) => c.cmd === "compliance_matrix").length;
    fireEvent.click(screen.getByRole("button", { name: "Undo" }));
    const error = await screen.findByText(/^Could not undo “CSR1 now requires Phone/);
    expect(error.textContent).toMatch(/”: job_role_mappings #71 not found$/);
    expect(error.closest(".toast-error")).toBeTruthy();
    // the matrix is read again either way
    await waitFor(() => expect(calls.filter((c) => c.cmd === "compliance_matrix").length).toBeGreaterThan(matrixReads));
  });
});

describe("compliance report", () => {
  it("fixes an extra role by requiring it for the job code, only after confirming what it reaches", async () => {
    const calls = backend("editor");
    renderWithProviders(<ComplianceScreen />);
    const [ana] = await openReport();
    const require = within(ana).getByTestId("gap-require");
    await enabled(require);
    expect(require.title).toBe("Make job code CSR1 require Phone (for every employee with that job code)");

    fireEvent.click(require);
    const dialog = screen.getByRole("dialog");
    expect(dialog.textContent).toContain("Make job code CSR1 require Phone?");
    expect(within(dialog).getByTestId("mapping-impact").textContent).toBe(
      "3 employees have job code CSR1; 2 of them do not hold Phone and become non-compliant.",
    );
    // cancelled: nothing sent
    fireEvent.click(within(dialog).getByText("Cancel"));
    expect(calls.some((c) => c.cmd === "add_mapping")).toBe(false);

    fireEvent.click(require);
    fireEvent.click(screen.getByTestId("confirm"));
    await screen.findByText("CSR1 now requires Phone (2 of its 3 employees do not hold it)");
    expect(calls.find((c) => c.cmd === "add_mapping")?.args).toEqual({ req: { job_code_id: 4, system_role_id: 13 } });
  });

  it("fixes a missing role by no longer requiring it: removes that mapping after confirming", async () => {
    const calls = backend("editor");
    renderWithProviders(<ComplianceScreen />);
    const [, bo] = await openReport();
    const unrequire = within(bo).getByTestId("gap-unrequire");
    await enabled(unrequire);
    fireEvent.click(unrequire);
    expect(screen.getByRole("dialog").textContent).toContain("Stop job code CSR1 requiring Mail?");
    fireEvent.click(screen.getByTestId("confirm"));
    await screen.findByText("CSR1 no longer requires Mail (2 of its 3 employees hold it as an extra role)");
    expect(calls.find((c) => c.cmd === "remove_mapping")?.args).toEqual({ req: { id: 70 } });
    expect(calls.some((c) => c.cmd === "add_mapping")).toBe(false);
  });

  it("assigns one employee's missing role at once, listed first, and Undo unassigns it", async () => {
    const calls = backend("editor");
    renderWithProviders(<ComplianceScreen />);
    const [, bo] = await openReport();
    const assign = within(bo).getByTestId("gap-assign") as HTMLButtonElement;
    await enabled(assign);
    expect(assign.textContent).toBe("Assign Mail");
    // the employee's own fix comes before the job code's
    const buttons = within(bo).getAllByRole("button").map((b) => b.dataset.testid);
    expect(buttons).toEqual(["gap-assign", "gap-unrequire"]);
    fireEvent.click(assign);
    expect(screen.queryByRole("dialog")).toBeNull();
    const toast = (await screen.findByText("bo@corp.test now holds Mail")).closest("[data-testid=toast]") as HTMLElement;
    const roleCalls = () => calls.filter((c) => c.cmd.endsWith("assign_role"));
    expect(roleCalls()).toEqual([{ cmd: "assign_role", args: { req: { employee_email: "bo@corp.test", system_role_id: 12 } } }]);
    fireEvent.click(within(toast).getByRole("button", { name: "Undo" }));
    await screen.findByText("Undone: bo@corp.test no longer holds Mail");
    expect(roleCalls()).toEqual([
      { cmd: "assign_role", args: { req: { employee_email: "bo@corp.test", system_role_id: 12 } } },
      { cmd: "unassign_role", args: { req: { employee_email: "bo@corp.test", system_role_id: 12 } } },
    ]);
    expect(commands(calls)).toEqual([]); // the job code's mapping is untouched
  });

  it("removes one employee's extra role at once, and Undo assigns it back", async () => {
    const calls = backend("editor");
    renderWithProviders(<ComplianceScreen />);
    const [ana] = await openReport();
    const remove = within(ana).getByTestId("gap-unassign") as HTMLButtonElement;
    await enabled(remove);
    expect(remove.textContent).toBe("Remove Phone");
    const reportReads = calls.filter((c) => c.cmd === "compliance_report").length;
    fireEvent.click(remove);
    await screen.findByText("ana@corp.test no longer holds Phone");
    expect(calls.filter((c) => c.cmd.endsWith("assign_role")).map((c) => [c.cmd, c.args])).toEqual([
      ["unassign_role", { req: { employee_email: "ana@corp.test", system_role_id: 13 } }],
    ]);
    // the report is read again
    await waitFor(() => expect(calls.filter((c) => c.cmd === "compliance_report").length).toBeGreaterThan(reportReads));
    fireEvent.click(screen.getByRole("button", { name: "Undo" }));
    await screen.findByText("Undone: ana@corp.test holds Phone again");
    expect(calls.filter((c) => c.cmd.endsWith("assign_role")).map((c) => [c.cmd, c.args])).toEqual([
      ["unassign_role", { req: { employee_email: "ana@corp.test", system_role_id: 13 } }],
      ["assign_role", { req: { employee_email: "ana@corp.test", system_role_id: 13 } }],
    ]);
  });

  it("says which role could not be given back when the undo is refused", async () => {
    backend("editor", (cmd) =>
      cmd === "assign_role" ? Promise.reject({ kind: "conflict", message: "ana@corp.test already holds Phone" }) : undefined,
    );
    renderWithProviders(<ComplianceScreen />);
    const [ana] = await openReport();
    const remove = within(ana).getByTestId("gap-unassign");
    await enabled(remove);
    fireEvent.click(remove);
    fireEvent.click(await screen.findByRole("button", { name: "Undo" }));
    const error = await screen.findByText("Could not undo “ana@corp.test no longer holds Phone”: ana@corp.test already holds Phone");
    expect(error.closest(".toast-error")).toBeTruthy();
  });

  it("disables the fixes for a viewer and says why", async () => {
    const calls = backend("viewer");
    renderWithProviders(<ComplianceScreen />);
    const [ana, bo] = await openReport();
    const require = within(ana).getByTestId("gap-require") as HTMLButtonElement;
    await waitFor(() => expect(require.title).toBe("Requires the editor role; viewer@corp.test is viewer"));
    expect(require.disabled).toBe(true);
    expect((within(bo).getByTestId("gap-unrequire") as HTMLButtonElement).disabled).toBe(true);
    // the employee's own fixes too
    for (const fix of [within(ana).getByTestId("gap-unassign"), within(bo).getByTestId("gap-assign")] as HTMLButtonElement[]) {
      expect(fix.disabled).toBe(true);
      expect(fix.title).toBe("Requires the editor role; viewer@corp.test is viewer");
      fireEvent.click(fix);
    }
    fireEvent.click(require);
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(calls.some((c) => c.cmd.endsWith("_mapping") || c.cmd.endsWith("assign_role"))).toBe(false);
  });

  it("opens on one employee's gaps from a linked chip, which × clears", async () => {
    backend("viewer");
    const onQueryChange = vi.fn();
    renderWithProviders(
      <ComplianceScreen chips={[{ column: "email", op: "eq", value: "bo@corp.test" }]} sort={null} onQueryChange={onQueryChange} />,
    );
    const gaps = await screen.findAllByTestId("compliance-gap");
    expect(gaps.map((g) => g.textContent)).toEqual([expect.stringContaining("bo@corp.test")]);
    // each gap links to the employee's role assignments
    expect(parseHash(within(gaps[0]).getByTestId("gap-assignments").getAttribute("href")!)).toEqual({
      screen: "employee_role_assignments",
      chips: [{ column: "employee_email", op: "eq", value: "bo@corp.test" }],
      sort: null,
    });
    fireEvent.click(screen.getByRole("button", { name: "Remove filter employee = bo@corp.test" }));
    expect(onQueryChange).toHaveBeenCalledWith([], null);
  });
});
