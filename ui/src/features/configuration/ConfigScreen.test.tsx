// Configuration by category: a heading per category with its count, the settings by key, and
// every action of the table view (edit, encrypt/decrypt, delete, reveal) with its test id.
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";

import { mockBackend, renderWithProviders, type Call } from "../../test/ipc";
import { ConfigScreen } from "./ConfigScreen";
import { groupByCategory } from "./ConfigGroups";

const SESSION = {
  database: "sqlite:///tmp/test.db",
  backend: "sqlite",
  operator: { email: "admin@corp.test", role: "admin" },
  read_only_reason: null,
  keyring_problem: null,
  app_session_id: "abc",
  origin: { kind: "ours" },
  grants: ["manage_config", "reveal_secrets", "export", "manage_keys"].map((permission) => ({
    permission,
    allowed: true,
    required_role: "admin",
    reason: null,
  })),
};

const col = (name: string, kind = "text") => ({ name, kind, nullable: true, sortable: name === "category" || name === "key", sensitive: false, masking: "clear" });

let n = 0;
const setting = (category: string, key: string, value: string | null, encrypted = false) => ({
  id: ++n,
  category,
  key,
  value_plaintext: encrypted ? null : value,
  is_encrypted: encrypted,
  value_masked: encrypted,
  updated_at: "2026-11-24T08:00:00Z",
});

const ROWS = [
  setting("search", "cache_ttl_minutes", "30"),
  setting("ldap", "server", "ldap.corp.test"),
  setting("genesys", "region", "mypurecloud.ie"),
  setting("ldap", "bind_password", null, true),
  setting("ldap", "base_dn", "dc=corp,dc=test"),
];

function backend(rows = ROWS): Call[] {
  return mockBackend((cmd) => {
    switch (cmd) {
      case "session_info":
        return SESSION;
      case "table_columns":
        return ["category", "key", "value_plaintext", "is_encrypted", "value_masked", "updated_at"].map((c) => col(c));
      case "list_rows":
        return { rows, next_cursor: null, total: { value: rows.length, kind: "exact" } };
      case "count_rows":
        return { value: rows.length, kind: "exact" };
      default:
        return new Promise(() => {}); // the key panel's status: not under test here
    }
  });
}

afterEach(() => {
  clearMocks();
  localStorage.clear();
});

describe("configuration screen", () => {
  it("groups settings by category, a heading with the count for each, keys in order", async () => {
    const calls = backend();
    renderWithProviders(<ConfigScreen chips={[]} sort={null} onQueryChange={() => {}} />);
    const groups = await screen.findAllByRole("region");
    expect(groups.map((g) => g.querySelector("h3")?.textContent)).toEqual(["genesys (1)", "ldap (3)", "search (1)"]);
    const ldap = screen.getByTestId("config-group-ldap");
    expect(within(ldap).getAllByTestId("config-row").map((r) => r.querySelector("td")?.textContent)).toEqual([
      "base_dn",
      "bind_password",
      "server",
    ]);
    expect(screen.getByTestId("config-count").textContent).toBe("5 settings in 3 categories");
    // fetched in category order, every setting at once
    expect(calls.find((c) => c.cmd === "list_rows")?.args.query).toMatchObject({
      sort: { column: "category", descending: false },
      limit: 500,
    });
    // the secret is masked with its Reveal; plaintext shows
    expect(within(ldap).getByTestId("reveal-ldap.bind_password")).toBeTruthy();
    expect(within(ldap).getByText("ldap.corp.test")).toBeTruthy();
  });

  it("keeps every action and its test id, and the table view one click away", async () => {
    backend();
    renderWithProviders(<ConfigScreen chips={[]} sort={null} onQueryChange={() => {}} />);
    const edit = (await screen.findByTestId("config-edit-ldap.server")) as HTMLButtonElement;
    await waitFor(() => expect(edit.disabled).toBe(false));
    expect(screen.getByTestId("config-encrypt-ldap.server")).toBeTruthy();
    const ldap = screen.getByTestId("config-group-ldap");
    // an encrypted setting offers Decrypt instead of Encrypt
    expect(screen.queryByTestId("config-encrypt-ldap.bind_password")).toBeNull();
    expect(within(ldap).getAllByText("Decrypt")).toHaveLength(1);
    expect(within(ldap).getAllByText("Delete")).toHaveLength(3);
    fireEvent.click(edit);
    expect(screen.getByRole("dialog").textContent).toContain("Edit ldap.server");
    expect((screen.getByTestId("config-value") as HTMLInputElement).value).toBe("ldap.corp.test");
    fireEvent.click(screen.getByText("Cancel"));
    expect(screen.getByTestId("config-add")).toBeTruthy();
    expect(screen.getByTestId("export")).toBeTruthy();

    fireEvent.click(screen.getByTestId("config-view-table"));
    expect(await screen.findByTestId("table-configuration")).toBeTruthy();
    expect(screen.queryByTestId("config-groups")).toBeNull();
    expect(localStorage.getItem("whodis.configView")).toBe("table");
  });

  it("applies the screen's filters and offers to clear them", async () => {
    const calls = backend([ROWS[1]]);
    const changes: unknown[] = [];
    renderWithProviders(
      <ConfigScreen
        chips={[{ column: "category", op: "eq", value: "ldap" }]}
        sort={null}
        onQueryChange={(chips) => changes.push(chips)}
      />,
    );
    expect((await screen.findByTestId("config-filters")).textContent).toContain("category = ldap");
    await waitFor(() =>
      expect(calls.find((c) => c.cmd === "list_rows")?.args.query).toMatchObject({
        filters: [{ column: "category", op: "eq", value: "ldap" }],
      }),
    );
    expect((await screen.findByTestId("config-count")).textContent).toBe("1 setting in 1 category");
    fireEvent.click(within(screen.getByTestId("config-filters")).getByText("Clear"));
    expect(changes).toEqual([[]]);
  });
});

describe("groupByCategory", () => {
  it("orders categories and keys alphabetically, case aside", () => {
    const rows = [setting("Search", "b", "1"), setting("ldap", "Z", "1"), setting("ldap", "a", "1"), setting("search", "a", "1")];
    expect(groupByCategory(rows).map((g) => [g.category, g.rows.map((r) => r.key)])).toEqual([
      ["ldap", ["a", "Z"]],
      ["Search", ["b"]],
      ["search", ["a"]],
    ]);
  });
});
