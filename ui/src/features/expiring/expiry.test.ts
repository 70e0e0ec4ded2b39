import { describe, expect, it } from "vitest";

import { describeExpiry } from "./expiry";

const NOW = Date.parse("2026-11-24T12:00:00Z");

describe("expiry badges", () => {
  it("says how long ago a row expired, or how long it has left", () => {
    expect(describeExpiry("2026-11-24T09:00:00Z", NOW)).toEqual({ expired: true, text: "expired 3 h ago" });
    expect(describeExpiry("2026-11-26T12:00:00Z", NOW)).toEqual({ expired: false, text: "in 2 d" });
    expect(describeExpiry("2026-11-24T12:00:30Z", NOW)).toEqual({ expired: false, text: "in 1 min" });
    expect(describeExpiry("2026-11-24T12:00:00Z", NOW).expired).toBe(true);
    expect(describeExpiry("not a time", NOW)).toEqual({ expired: false, text: "" });
  });
});
