import { describe, expect, it } from "vitest";

import { label, rowTitle } from "./labels";

describe("label", () => {
  it("reads a column name as words, with acronyms in capitals", () => {
    expect(
      ["created_at", "user_email", "ip_address", "id", "system_role_id", "callback_url", "api_key", "additional_json", "email"].map(label),
    ).toEqual(["Created at", "User email", "IP address", "ID", "System role ID", "Callback URL", "API key", "Additional JSON", "Email"]);
  });
});

describe("rowTitle", () => {
  it("names a row by its table in the singular, or by the table's label", () => {
    expect(rowTitle("users", 8)).toBe("User #8");
    expect(rowTitle("audit_log", 123)).toBe("Audit log #123");
    expect(rowTitle("blocked_numbers", 4)).toBe("Blocked numbers #4");
  });
});
