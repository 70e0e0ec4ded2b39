// Every screen the sidebar and the command palette offer, in sidebar order.
import type { Table } from "../api";
import { exploredTable } from "../features/explorer/explorer";

export interface Screen {
  id: string;
  label: string;
  group: string;
  /** The table the screen lists, if any. */
  table?: Table;
  /** Offered on any database, not only on a WhoDis one. */
  anyDatabase?: boolean;
}

export const SCREENS: Screen[] = [
  { id: "dashboard", label: "Dashboard", group: "Overview" },
  { id: "connections", label: "Connections", group: "Overview", anyDatabase: true },
  { id: "schema", label: "Schema", group: "Overview" },
  { id: "health", label: "Database health", group: "Overview", anyDatabase: true },
  { id: "tables", label: "Tables", group: "Overview", anyDatabase: true },
  { id: "users", label: "Users", group: "People", table: "users" },
  { id: "employee_profiles", label: "Employee profiles", group: "People", table: "employee_profiles" },
  { id: "audit", label: "Audit log", group: "Logs", table: "audit_log" },
  { id: "access", label: "Access attempts", group: "Logs", table: "access_attempts" },
  { id: "errors", label: "Error log", group: "Logs", table: "error_log" },
  { id: "sessions", label: "Sessions", group: "Sessions & caches", table: "sessions" },
  { id: "search_cache", label: "Search cache", group: "Sessions & caches", table: "search_cache" },
  { id: "api_tokens", label: "API tokens", group: "Sessions & caches", table: "api_tokens" },
  { id: "genesys_groups", label: "Genesys groups", group: "Genesys", table: "genesys_groups" },
  { id: "genesys_skills", label: "Genesys skills", group: "Genesys", table: "genesys_skills" },
  { id: "genesys_locations", label: "Genesys locations", group: "Genesys", table: "genesys_locations" },
  { id: "compliance", label: "Matrix & report", group: "Compliance" },
  { id: "job_codes", label: "Job codes", group: "Compliance", table: "job_codes" },
  { id: "system_roles", label: "System roles", group: "Compliance", table: "system_roles" },
  { id: "job_role_mappings", label: "Job-role mappings", group: "Compliance", table: "job_role_mappings" },
  {
    id: "employee_role_assignments",
    label: "Role assignments",
    group: "Compliance",
    table: "employee_role_assignments",
  },
  { id: "configuration", label: "Configuration", group: "Settings", table: "configuration" },
];

/** The seed's model names (`User`, `AccessAttempt`: what the summary and the CLI's `stats` report
 *  under) and their tables, so a count is named and linked as the sidebar names the screen. */
const MODEL_TABLE: Record<string, Table> = {
  User: "users",
  Configuration: "configuration",
  Session: "sessions",
  SearchCache: "search_cache",
  ApiToken: "api_tokens",
  EmployeeProfile: "employee_profiles",
  GenesysGroup: "genesys_groups",
  GenesysSkill: "genesys_skills",
  GenesysLocation: "genesys_locations",
  AuditLog: "audit_log",
  AccessAttempt: "access_attempts",
  ErrorLog: "error_log",
  JobCode: "job_codes",
  SystemRole: "system_roles",
  JobRoleMapping: "job_role_mappings",
  EmployeeRoleAssignment: "employee_role_assignments",
};

/** The screen listing a model's table (`AccessAttempt` → Access attempts), if there is one. */
export function screenOfModel(model: string): Screen | undefined {
  const table = MODEL_TABLE[model];
  return table ? SCREENS.find((s) => s.table === table) : undefined;
}

export function screenById(id: string): Screen {
  const explored = exploredTable(id);
  if (explored) return { id, label: explored, group: "Tables", anyDatabase: true };
  return SCREENS.find((s) => s.id === id) ?? SCREENS[0];
}

/** The screens that apply to the open database: every one on a WhoDis database, the explorer's
 *  and the database-wide ones on any other. */
export function screensFor(whodis: boolean): Screen[] {
  return whodis ? SCREENS : SCREENS.filter((s) => s.anyDatabase);
}

/** Screens whose label matches every word of `text`, case-insensitively. */
export function matchScreens(text: string): Screen[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  return SCREENS.filter((s) => words.every((w) => `${s.label} ${s.group}`.toLowerCase().includes(w)));
}
