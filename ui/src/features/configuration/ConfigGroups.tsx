// Configuration by category, as the server's settings are organised (`ldap`, `genesys`,
// `search`…): a heading per category with its count, then its settings by key, each with the
// same cells and actions as the table view. Settings are few, so all of them the filters select
// are fetched (up to MAX_SETTINGS) and shown at once.
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";

import { api, type Row } from "../../api";
import { errorText } from "../../app/toasts";
import { ExportButton } from "../../components/ExportButton";
import { formatCell, formatCount } from "../../lib/format";
import { OP_LABELS, takesValue, toQuery, type Chip } from "../../lib/query";
import { useZone } from "../../lib/timeZone";
import "./ConfigGroups.css";

/** More than any WhoDis server keeps; past it, the table view pages through the rest. */
export const MAX_SETTINGS = 2000;
const PAGE = 500;
const BY_CATEGORY = { column: "category", descending: false };

export interface Group {
  category: string;
  rows: Row[];
}

/** Rows by category (A→Z), each category's rows by key. */
export function groupByCategory(rows: Row[]): Group[] {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const category = String(row.category ?? "");
    const list = groups.get(category);
    if (list) list.push(row);
    else groups.set(category, [row]);
  }
  const byText = (a: string, b: string) => a.localeCompare(b, "en", { sensitivity: "base" }) || (a < b ? -1 : a > b ? 1 : 0);
  return [...groups.entries()]
    .sort(([a], [b]) => byText(a, b))
    .map(([category, list]) => ({ category, rows: list.sort((a, b) => byText(String(a.key ?? ""), String(b.key ?? ""))) }));
}

interface Props {
  chips: Chip[];
  onClearFilters: () => void;
  toolbar: ReactNode;
  renderValue: (row: Row) => ReactNode;
  actions: (row: Row) => ReactNode;
}

export function ConfigGroups({ chips, onClearFilters, toolbar, renderValue, actions }: Props) {
  useZone(); // updated_at shows in the chosen zone
  const columns = useQuery({ queryKey: ["columns", "configuration"], queryFn: () => api.columns("configuration") });
  // under ["rows", "configuration"], so a change to a setting fetches the groups again
  const settings = useQuery({
    queryKey: ["rows", "configuration", "by-category", chips],
    enabled: columns.isSuccess,
    queryFn: async () => {
      const rows: Row[] = [];
      let cursor: string | null = null;
      do {
        const query = toQuery(chips, BY_CATEGORY, columns.data ?? [], cursor, PAGE);
        const page = await api.listRows("configuration", query);
        rows.push(...page.rows);
        cursor = page.next_cursor;
      } while (cursor && rows.length < MAX_SETTINGS);
      return { rows, more: cursor !== null };
    },
  });
  const error = columns.error ?? settings.error;
  const groups = settings.data ? groupByCategory(settings.data.rows) : [];

  return (
    <div className="config-groups" data-testid="config-groups">
      <div className="table-toolbar">
        {toolbar}
        <ExportButton table="configuration" chips={chips} sort={BY_CATEGORY} columns={columns.data ?? []} />
        {chips.length > 0 && (
          <span className="muted" data-testid="config-filters">
            Filtered: {chips.map((c) => (takesValue(c.op) ? `${c.column} ${OP_LABELS[c.op]} ${c.value}` : `${c.column} ${OP_LABELS[c.op]}`)).join(", ")}{" "}
            <button onClick={onClearFilters}>Clear</button>
          </span>
        )}
        {settings.data && (
          <span className="total" data-testid="config-count">
            {formatCount(settings.data.rows.length)} {settings.data.rows.length === 1 ? "setting" : "settings"} in{" "}
            {formatCount(groups.length)} {groups.length === 1 ? "category" : "categories"}
            {settings.data.more && ` (the first ${formatCount(MAX_SETTINGS)}: the table view pages through all)`}
          </span>
        )}
      </div>
      <div className="config-groups-body">
        {error ? (
          <p className="state state-error">{errorText(error)}</p>
        ) : !settings.data ? (
          <p className="state">Loading…</p>
        ) : groups.length === 0 ? (
          <p className="state">{chips.length ? "No setting matches the filters." : "No settings yet."}</p>
        ) : (
          groups.map((g, i) => (
            <section key={g.category} className="config-group" data-testid={`config-group-${g.category}`} aria-labelledby={`config-group-title-${i}`}>
              <h3 id={`config-group-title-${i}`}>
                <code>{g.category || "(no category)"}</code> <span className="muted">({formatCount(g.rows.length)})</span>
              </h3>
              <table className="config-table">
                <thead>
                  <tr>
                    <th>key</th>
                    <th>value</th>
                    <th>encrypted</th>
                    <th>updated</th>
                    <th className="actions-head">
                      <span className="visually-hidden">actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {g.rows.map((row) => (
                    <tr key={String(row.id)} data-testid="config-row">
                      <td>
                        <code>{formatCell(row.key)}</code>
                      </td>
                      <td className="config-value" title={row.value_masked === true ? undefined : formatCell(row.value_plaintext)}>
                        {renderValue(row)}
                      </td>
                      <td>{row.is_encrypted === true ? "yes" : "no"}</td>
                      <td className="muted">{formatCell(row.updated_at)}</td>
                      <td className="config-actions">{actions(row)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ))
        )}
      </div>
    </div>
  );
}
