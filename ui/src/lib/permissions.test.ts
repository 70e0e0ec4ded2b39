import { describe, expect, it } from "vitest";

import type { Grant } from "../api";
import { allowance } from "./permissions";

const grants: Grant[] = [
  { permission: "read", allowed: true, required_role: "viewer", reason: null },
  {
    permission: "manage_users",
    allowed: false,
    required_role: "admin",
    reason: "requires the admin role; v@corp.test is viewer",
  },
  { permission: "edit_profiles", allowed: false, required_role: "editor", reason: null },
];

describe("allowance", () => {
  it("allows what the grant allows", () => {
    expect(allowance(grants, "read")).toEqual({ allowed: true, reason: "" });
  });
  it("explains a refusal with the backend's reason", () => {
    expect(allowance(grants, "manage_users")).toEqual({
      allowed: false,
      reason: "Requires the admin role; v@corp.test is viewer",
    });
  });
  it("falls back to the required role, and refuses while the session is loading", () => {
    expect(allowance(grants, "edit_profiles").reason).toBe("Requires the editor role");
    expect(allowance(undefined, "read").allowed).toBe(false);
  });
});
