import { describe, expect, it } from "vitest";

import { PRODUCTION_RED, protectionOf, textOn } from "./protection";

const profile = (over: object) => ({
  id: "p",
  name: "HR",
  target: { kind: "postgres" as const, host: "db", port: 5432, database: "hr", user: "u", tls: "require" as const },
  operator: null,
  production: false,
  colour: null,
  read_only: false,
  ...over,
});

describe("protection of the open connection", () => {
  it("is the active entry's marks, with the database name to type", () => {
    const marks = protectionOf([
      { profile: profile({ id: "a", name: "Staging" }), active: false, database_name: "staging" },
      { profile: profile({ production: true, colour: "#004488", read_only: true }), active: true, database_name: "hr" },
    ]);
    expect(marks).toEqual({ name: "HR", production: true, colour: "#004488", readOnly: true, databaseName: "hr" });
  });

  it("is nothing when no profile is open, red when no colour was chosen", () => {
    expect(protectionOf(undefined)).toBeNull();
    expect(protectionOf([{ profile: profile({}), active: false, database_name: "hr" }])).toBeNull();
    const marks = protectionOf([{ profile: profile({ production: true }), active: true, database_name: "" }]);
    expect(marks?.colour).toBe(PRODUCTION_RED);
    // a name to type even when the backend knows none
    expect(marks?.databaseName).toBe("HR");
  });

  it("writes black on light bands and white on dark ones", () => {
    expect(textOn("#ffeb3b")).toBe("#000");
    expect(textOn("#c62828")).toBe("#fff");
    expect(textOn("#000000")).toBe("#fff");
    expect(textOn("bogus")).toBe("#fff");
  });
});
