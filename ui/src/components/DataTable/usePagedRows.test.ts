import { describe, expect, it } from "vitest";

import { relink } from "./usePagedRows";

describe("relink", () => {
  const chain = [{ cursor: null, length: 100 }, { cursor: "a", length: 100 }, { cursor: "b" }];

  it("keeps the same chain when a page answers as before", () => {
    expect(relink(chain, 1, 100, "b")).toBe(chain);
  });

  it("learns a page's length and its successor", () => {
    expect(relink(chain, 2, 100, "c")).toEqual([...chain.slice(0, 2), { cursor: "b", length: 100 }, { cursor: "c" }]);
  });

  it("ends the chain where a page has no successor any more", () => {
    expect(relink(chain, 0, 40, null)).toEqual([{ cursor: null, length: 40 }]);
  });

  it("replaces a successor that moved and keeps the pages after it", () => {
    const out = relink(chain, 0, 100, "a2");
    expect(out).toEqual([{ cursor: null, length: 100 }, { cursor: "a2" }, { cursor: "b" }]);
  });
});
