import { describe, expect, it } from "vitest";

import { parseKeystone } from "./KeystoneEditor";

describe("Keystone JSON", () => {
  it("accepts an object, and empty text clears the record", () => {
    expect(parseKeystone('{"job_code": "CSR1"}')).toEqual({ value: { job_code: "CSR1" } });
    expect(parseKeystone("  ")).toEqual({ value: null });
  });
  it("refuses what is not a JSON object, saying why", () => {
    expect("error" in parseKeystone("{job_code: CSR1}")).toBe(true);
    expect(parseKeystone("[1, 2]")).toEqual({ error: "the Keystone record is a JSON object ({ … })" });
    expect(parseKeystone("42")).toEqual({ error: "the Keystone record is a JSON object ({ … })" });
  });
});
