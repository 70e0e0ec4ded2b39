// The explorer's routes and labels: a table of any database opens at `#/table/<name>`, a
// foreign key's cell links to the referenced row, and a row's drawer to its children.
import type { Badge, TableSummary } from "../../api";
import { formatHash } from "../../app/route";

export const TABLE_ROUTE = "table/";

/** The explored table a route names (`table/usage_logs` → `usage_logs`), if it names one. */
export function exploredTable(screen: string): string | undefined {
  return screen.startsWith(TABLE_ROUTE) ? screen.slice(TABLE_ROUTE.length) || undefined : undefined;
}

/** The link to a table's rows, optionally only those whose `column` equals `value`. */
export function tableHref(table: string, column?: string, value?: unknown): string {
  const chips = column === undefined ? [] : [{ column, op: "eq" as const, value: String(value) }];
  return formatHash({ screen: `${TABLE_ROUTE}${table}`, chips, sort: null });
}

export const BADGE_TEXT: Record<Badge, string> = {
  store_timestamp: "timestamps",
  expires: "expires",
  active: "active flag",
  secret: "secrets masked",
  prefix: "ids shortened",
  json: "JSON",
  bytes: "bytes",
  tracking: "user tracking",
  foreign_key: "links",
};

export const BADGE_TITLE: Record<Badge, string> = {
  store_timestamp: "created_at / updated_at: set on every write",
  expires: "expires_at: expired rows can be found by filtering it",
  active: "is_active: filter active or inactive rows",
  secret: "Columns named like a secret (password, token, key, hash, jti, nonce) are never listed",
  prefix: "Session ids are shown by their first characters",
  json: "Holds JSON",
  bytes: "Holds bytes: a list shows each cell's size, the drawer its first bytes and any image",
  tracking: "user_email, ip_address, session_id or user_agent: filter by them",
  foreign_key: "References another table",
};

/** Tables whose name or any column name contains every word of `text`. */
export function matchTables(tables: TableSummary[], text: string): TableSummary[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  return tables.filter((t) => {
    const hay = `${t.name} ${t.columns.map((c) => c.name).join(" ")}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}
