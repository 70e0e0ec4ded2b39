import { describe, expect, it } from "vitest";

import { impactOf } from "./ComplianceScreen";

// CSR1 has 4 employees: ana holds Phone (not required: extra), bo misses Mail (required),
// and two are compliant (they hold Mail only)
const REPORT = {
  employees_checked: 5,
  gaps: [
    { email: "ana@corp.test", job_code: "CSR1", missing: [], extra: ["Phone"] },
    { email: "bo@corp.test", job_code: "CSR1", missing: ["Mail"], extra: [] },
    { email: "cy@corp.test", job_code: "ENG1", missing: [], extra: ["Phone"] },
  ],
  per_job_code: [
    { job_code: "CSR1", employees: 4, compliant: 2, missing_roles: 1, extra_roles: 1 },
    { job_code: "ENG1", employees: 1, compliant: 0, missing_roles: 0, extra_roles: 1 },
  ],
};
const cell = (role: string, mappingId?: number) => ({ job: "CSR1", role, jobCodeId: 1, roleId: 2, mappingId });

describe("what a matrix cell's change reaches", () => {
  it("requiring a role: the job code's employees, and how many do not hold it", () => {
    expect(impactOf(REPORT, cell("Phone"))).toEqual({ employees: 4, holding: 1, without: 3 });
  });

  it("no longer requiring one: how many hold it (all but those missing it)", () => {
    expect(impactOf(REPORT, cell("Mail", 7))).toEqual({ employees: 4, holding: 3, without: 1 });
  });

  it("a job code nobody has reaches nobody", () => {
    expect(impactOf(REPORT, { ...cell("Phone"), job: "NONE" })).toBeNull();
  });
});
