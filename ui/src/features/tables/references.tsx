// Foreign keys shown as what they name: `system_role_id` 13 reads as the role's name, `job_code_id`
// as the code, each a link to that row on its own screen. The reference tables are small: read
// once through the list API (all their pages) and kept in React Query.
import { useQuery } from "@tanstack/react-query";

import { api, type Row, type Table } from "../../api";
import { linksOf, rowRoute, whereRoute } from "../../app/links";
import type { Route } from "../../app/route";
import { LinkedRecords, RecordLink } from "../../components/RecordLink";

export type ReferenceTable = "system_roles" | "job_codes";

/** The column that names a row of each reference table. */
export const NAME_COLUMN: Record<ReferenceTable, string> = { system_roles: "role_name", job_codes: "code" };
const NOUN: Record<ReferenceTable, string> = { system_roles: "System role", job_codes: "Job code" };

/** Which columns of a table point at a reference table. */
export const FOREIGN_KEYS: Partial<Record<Table, Record<string, ReferenceTable>>> = {
  job_role_mappings: { job_code_id: "job_codes", system_role_id: "system_roles" },
  employee_role_assignments: { system_role_id: "system_roles" },
};

const PAGE = 500; // the list engine's largest page
const MAX_PAGES = 40; // 20,000 rows: far beyond a reference table; stops a runaway loop

/** id → name of every row of a reference table. */
export async function fetchNames(table: ReferenceTable): Promise<Map<number, string>> {
  const names = new Map<number, string>();
  let cursor: string | null = null;
  for (let i = 0; i < MAX_PAGES; i++) {
    const page = await api.listRows(table, { filters: [], sort: null, limit: PAGE, cursor, skip_total: true });
    for (const row of page.rows) {
      const name = row[NAME_COLUMN[table]];
      if (typeof row.id === "number" && typeof name === "string") names.set(row.id, name);
    }
    cursor = page.next_cursor ?? null;
    if (!cursor) break;
  }
  return names;
}

/** The names of a reference table, fetched once per session (and again on Refresh). */
export function useReferenceNames(table: ReferenceTable) {
  return useQuery({
    // under "rows", so what refreshes the table's rows refreshes its names too
    queryKey: ["rows", table, "names"],
    queryFn: () => fetchNames(table),
    staleTime: 5 * 60_000,
  });
}

/** A foreign key's cell: the referenced row's name (or "#13" when unknown), linking to it. */
export function ForeignKey({ table, id, testid }: { table: ReferenceTable; id: number; testid?: string }) {
  const names = useReferenceNames(table);
  const name = names.data?.get(id);
  return (
    <RecordLink to={rowRoute(table, id)} title={`${NOUN[table]} #${id}${name ? `: ${name}` : ""}`} data-testid={testid}>
      {name ?? `#${id}`}
    </RecordLink>
  );
}

/** `renderCell` for a table with foreign keys (undefined for its other columns). */
export function foreignKeyCell(table: Table) {
  const keys = FOREIGN_KEYS[table];
  if (!keys) return undefined;
  return (column: string, row: Row) => {
    const target = keys[column];
    const value = row[column];
    if (target && typeof value === "number") return <ForeignKey table={target} id={value} testid={`fk-${column}-${value}`} />;
    if (table === "employee_role_assignments" && column === "employee_email" && typeof value === "string") {
      return (
        <RecordLink to={linksOf.profile(value)} title="Open the employee's profile">
          {value}
        </RecordLink>
      );
    }
    return undefined;
  };
}

/** The drawer's links of a row: what its keys name, and the rows that name it. */
export function ReferenceDetail({ table, row }: { table: Table; row: Row }) {
  const keys = FOREIGN_KEYS[table] ?? {};
  const id = row.id;
  const email = typeof row.employee_email === "string" ? row.employee_email : null;
  const links: { to: Route; label: string; testid: string }[] = [];
  if (typeof id === "number" && table === "system_roles") {
    links.push({ to: whereRoute("job_role_mappings", "system_role_id", id), label: "Job codes requiring it", testid: "link-role-mappings" });
    links.push({ to: whereRoute("employee_role_assignments", "system_role_id", id), label: "Employees holding it", testid: "link-role-holders" });
  }
  if (typeof id === "number" && table === "job_codes") {
    links.push({ to: whereRoute("job_role_mappings", "job_code_id", id), label: "Roles it requires", testid: "link-code-mappings" });
  }
  if (email) {
    links.push({ to: linksOf.profile(email), label: "Employee profile", testid: "link-profile" });
    links.push({ to: linksOf.complianceGaps(email), label: "Compliance gaps", testid: "link-gaps" });
  }
  const named = Object.entries(keys).filter(([column]) => typeof row[column] === "number");
  if (links.length === 0 && named.length === 0) return null;
  return (
    <div className="reference-detail">
      {named.map(([column, target]) => (
        <p key={column}>
          {NOUN[target]}: <ForeignKey table={target} id={row[column] as number} testid={`detail-fk-${column}`} />
        </p>
      ))}
      <LinkedRecords links={links} />
    </div>
  );
}
