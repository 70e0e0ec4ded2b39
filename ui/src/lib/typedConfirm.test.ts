import { describe, expect, it } from "vitest";

import { confirmationHint, confirmationMatches } from "./typedConfirm";

describe("typed confirmation", () => {
  it("accepts the exact name, spaces around it ignored", () => {
    expect(confirmationMatches("whodis_prod", "whodis_prod")).toBe(true);
    expect(confirmationMatches("whodis_prod", "  whodis_prod ")).toBe(true);
    expect(confirmationHint("whodis_prod", "whodis_prod")).toBe("");
  });

  it("refuses another name, a prefix, or another case", () => {
    expect(confirmationMatches("whodis_prod", "whodis")).toBe(false);
    expect(confirmationMatches("whodis_prod", "whodis_prod2")).toBe(false);
    expect(confirmationMatches("whodis_prod", "WHODIS_PROD")).toBe(false);
    expect(confirmationMatches("whodis_prod", "whodis prod")).toBe(false);
    expect(confirmationHint("whodis_prod", "WHODIS_PROD")).toBe("The name's case differs.");
    expect(confirmationHint("whodis_prod", "staging")).toBe("That is not this database's name.");
  });

  it("never confirms by typing nothing, even when the name is empty", () => {
    expect(confirmationMatches("whodis_prod", "")).toBe(false);
    expect(confirmationMatches("", "")).toBe(false);
    expect(confirmationMatches("  ", " ")).toBe(false);
    expect(confirmationHint("whodis_prod", " ")).toBe("Type whodis_prod to confirm.");
  });
});
