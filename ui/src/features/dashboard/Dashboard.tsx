// The open database at a glance: rows per table, expired rows, recent errors and denied access.
import { useQuery } from "@tanstack/react-query";

import { api, type Table } from "../../api";
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
        <table className="stats">
          <thead>
            <tr>
              <th>model</th>
              <th>rows</th>
              <th>active</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(tables).map(([model, s]) => (
              <tr key={model}>
                <td>{model}</td>
                <td className="num">{formatCount(s.total)}</td>
                <td className="num">{s.active === null ? "" : formatCount(s.active)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card">
        <h3>
          Expired <CleanupExpired />
        </h3>
        <table className="stats">
          <tbody>
            {Object.entries(expired).map(([model, n]) => (
              <tr key={model}>
                <td>{model}</td>
                <td className="num">{formatCount(n)}</td>
              </tr>
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
