// The open database at a glance: rows per table, expired rows, recent errors and denied access.
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";

import { api, type Table } from "../../api";
import { SCREENS, screenOfModel } from "../../app/screens";
import { errorText } from "../../app/toasts";
import { formatCell, formatCount } from "../../lib/format";
import { useZone } from "../../lib/timeZone";
import { CleanupExpired } from "../expiring/CleanupExpired";
import { DayChart } from "./DayChart";

function Recent({ table, title, failuresOnly }: { table: Table; title: string; failuresOnly: boolean }) {
  useZone(); // its times show in the chosen zone
  const query = useQuery({
    queryKey: ["rows", table, "recent", failuresOnly],
    queryFn: () =>
      api.listRows(table, {
        filters: failuresOnly ? [{ column: "success", op: "eq", value: false }] : [],
        limit: 8,
      }),
  });
  return (
    <section className="card">
      <h3>{title}</h3>
      {query.error ? (
        <p className="state-error">{errorText(query.error)}</p>
      ) : !query.data ? (
        <p className="muted">Loading…</p>
      ) : query.data.rows.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul className="recent">
          {query.data.rows.map((r) => (
            <li key={String(r.id)}>
              <span className="muted">{formatCell(r.created_at)}</span> {formatCell(r.user_email)} —{" "}
              {formatCell(r.message ?? r.resource)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function AuditChart() {
  const days = useQuery({ queryKey: ["rows", "audit_log", "per-day"], queryFn: () => api.auditPerDay(30) });
  return (
    <section className="card">
      <h3>Audit events per day</h3>
      {days.error ? (
        <p className="state-error">{errorText(days.error)}</p>
      ) : days.data ? (
        <DayChart days={days.data} />
      ) : (
        <p className="muted">Loading…</p>
      )}
    </section>
  );
}

/** Counts per model in sidebar order, each named as the sidebar names its screen. */
function bySidebar<T>(counts: Record<string, T>): { model: string; label: string; href: string | null; value: T }[] {
  const place = (model: string) => {
    const at = SCREENS.findIndex((s) => s.id === screenOfModel(model)?.id);
    return at < 0 ? SCREENS.length : at;
  };
  return Object.entries(counts)
    .map(([model, value]) => {
      const screen = screenOfModel(model);
      return { model, label: screen?.label ?? model, href: screen ? `#/${screen.id}` : null, value };
    })
    .sort((a, b) => place(a.model) - place(b.model) || a.label.localeCompare(b.label));
}

/** A row that opens its table's screen: the name is a link (Tab, Enter), the rest of the row a
 *  click target for the mouse. */
function LinkedRow(props: { label: string; href: string | null; testid: string; children: ReactNode }) {
  const { label, href, testid, children } = props;
  if (!href) {
    return (
      <tr>
        <td>{label}</td>
        {children}
      </tr>
    );
  }
  return (
    <tr
      className="linked"
      onClick={(e) => {
        // the link navigates by itself
        if (!(e.target as Element).closest("a")) window.location.hash = href;
      }}
    >
      <td>
        <a href={href} data-testid={testid}>
          {label}
        </a>
      </td>
      {children}
    </tr>
  );
}

export function Dashboard() {
  const summary = useQuery({ queryKey: ["summary"], queryFn: api.summary });
  if (summary.error) return <p className="state state-error">{errorText(summary.error)}</p>;
  if (!summary.data) return <p className="state">Loading…</p>;
  const { tables, expired, schema_version, backend } = summary.data;
  return (
    <div className="dashboard" data-testid="dashboard">
      <section className="card">
        <h3>
          Tables <span className="muted">({backend}, schema v{schema_version})</span>
        </h3>
        <table className="stats" data-testid="dashboard-tables">
          <thead>
            <tr>
              <th>table</th>
              <th className="num">rows</th>
              <th className="num">active</th>
            </tr>
          </thead>
          <tbody>
            {bySidebar(tables).map(({ model, label, href, value: s }) => (
              <LinkedRow key={model} label={label} href={href} testid={`dashboard-table-${model}`}>
                <td className="num">{formatCount(s.total)}</td>
                <td className="num">{s.active === null ? "" : formatCount(s.active)}</td>
              </LinkedRow>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card">
        <h3>
          Expired <CleanupExpired />
        </h3>
        <table className="stats" data-testid="dashboard-expired">
          <tbody>
            {bySidebar(expired).map(({ model, label, href, value: n }) => (
              <LinkedRow key={model} label={label} href={href} testid={`dashboard-expired-${model}`}>
                <td className="num">{formatCount(n)}</td>
              </LinkedRow>
            ))}
          </tbody>
        </table>
      </section>
      <AuditChart />
      <Recent table="error_log" title="Recent errors" failuresOnly={false} />
      <Recent table="access_attempts" title="Recently denied access" failuresOnly />
    </div>
  );
}
