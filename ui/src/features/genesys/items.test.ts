import { describe, expect, it } from "vitest";

import { itemsOf } from "./items";

describe("Genesys import files", () => {
  it("accept a bare array or the API's paged shape", () => {
    expect(itemsOf([{ id: "a" }])).toEqual([{ id: "a" }]);
    expect(itemsOf({ entities: [{ id: "b" }], pageCount: 1 })).toEqual([{ id: "b" }]);
  });
  it("refuse anything else with a clear message", () => {
    expect(() => itemsOf({ id: "a" })).toThrow(/entities/);
    expect(() => itemsOf("text")).toThrow(/JSON array/);
  });
});
