// Friendly names where people read rather than type: the drawer's fields and title. Headers,
// filters and chips keep the column names, which the URL, the CLI and exports use.

/** Words written in capitals wherever they appear in a name. */
const ACRONYMS = new Set(["id", "ip", "url", "uri", "api", "json", "uuid", "http", "https", "sso", "ldap", "mfa", "ttl", "utc", "csv"]);

/** `created_at` → "Created at", `ip_address` → "IP address", `system_role_id` → "System role ID". */
export function label(name: string): string {
  return name
    .split(/[_\s]+/)
    .filter(Boolean)
    .map((word, i) => {
      const lower = word.toLowerCase();
      if (ACRONYMS.has(lower)) return lower.toUpperCase();
      return i === 0 ? lower[0].toUpperCase() + lower.slice(1) : lower;
    })
    .join(" ");
}

/** What one row of a table is called. */
const SINGULAR: Record<string, string> = {
  users: "User",
  configuration: "Setting",
  sessions: "Session",
  search_cache: "Search cache entry",
  api_tokens: "API token",
  employee_profiles: "Employee profile",
  genesys_groups: "Genesys group",
  genesys_skills: "Genesys skill",
  genesys_locations: "Genesys location",
  audit_log: "Audit log",
  access_attempts: "Access attempt",
  error_log: "Error log",
  job_codes: "Job code",
  system_roles: "System role",
  job_role_mappings: "Job-role mapping",
  employee_role_assignments: "Role assignment",
};

/** "User #8", "Audit log #123"; a table not listed goes by its label. */
export function rowTitle(table: string, id: unknown): string {
  return `${SINGULAR[table] ?? label(table)} #${id === null || id === undefined ? "" : String(id)}`;
}
