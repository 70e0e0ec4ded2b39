import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { APP_CHIP, hasAppChip, toggleAppChip } from "./appFilter";
import { AuditDiff, changesOf } from "./AuditDiff";

const data = {
  app: "whodis-admin",
  operation: "users.update",
  entity: "User",
  id: 7,
  changes: {
    role: { before: "editor", after: "viewer" },
    api_secret: { before: "[redacted]", after: "[redacted]" },
    email: { before: null, after: "x@corp.test" },
  },
};

describe("audit diff", () => {
  it("lists each changed field with before and after", () => {
    expect(changesOf(data)).toEqual([
      { field: "role", before: "editor", after: "viewer" },
      { field: "api_secret", before: "[redacted]", after: "[redacted]" },
      { field: "email", before: null, after: "x@corp.test" },
    ]);
    render(<AuditDiff additionalData={data} />);
    const diff = screen.getByTestId("audit-diff");
    expect(within(diff).getByText("users.update · User · 7")).toBeTruthy();
    const role = within(diff).getByText("role").closest("tr");
    expect(role?.textContent).toBe("roleeditorviewer");
    expect(within(diff).getAllByText("[redacted]")).toHaveLength(2);
    expect(within(diff).getByText("(none)")).toBeTruthy();
  });

  it("says so when a row records no field changes", () => {
    expect(changesOf({ operation: "keys.export" })).toEqual([]);
    expect(changesOf(null)).toEqual([]);
    render(<AuditDiff additionalData={"not an object"} />);
    expect(screen.getByText("No field changes recorded.")).toBeTruthy();
  });
});

describe("changes made with this app", () => {
  it("toggles the user-agent chip without touching other filters", () => {
    const other = { column: "event_type", op: "eq", value: "admin" } as const;
    const on = toggleAppChip([other]);
    expect(on).toEqual([other, APP_CHIP]);
    expect(hasAppChip(on)).toBe(true);
    expect(toggleAppChip(on)).toEqual([other]);
  });
});
