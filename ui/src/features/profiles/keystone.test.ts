import { describe, expect, it } from "vitest";

import { keystoneSummary } from "./keystone";

describe("the Keystone fields of a profile", () => {
  it("reads name, title, department and job code from the record", () => {
    expect(
      keystoneSummary({ display_name: "Ada Byron", job_title: "Analyst", department: "Finance", job_code: "FIN2", hire_date: "2020-01-01" }),
    ).toEqual({ name: "Ada Byron", title: "Analyst", department: "Finance", jobCode: "FIN2" });
  });

  it("takes the other names HR exports use, and leaves out what the record lacks", () => {
    expect(keystoneSummary({ name: "Bo", title: "Lead", dept: "Ops" })).toEqual({ name: "Bo", title: "Lead", department: "Ops", jobCode: "" });
    expect(keystoneSummary(null)).toEqual({ name: "", title: "", department: "", jobCode: "" });
    expect(keystoneSummary(["not", "a", "record"])).toEqual({ name: "", title: "", department: "", jobCode: "" });
  });
});
