// The open database against the WhoDis models: table by table what is compatible, missing or
// extra, which features need a missing part, and the explicit Adopt step (the exact statements,
// confirmed before anything runs).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { api, type AdoptPlan, type CompatReport } from "../../api";
import { errorText, useToast } from "../../app/toasts";
import { ActionButton } from "../../components/ActionButton";
import { Dialog } from "../../components/Dialog";

function originText(report: CompatReport): string {
  const origin = report.origin;
  if (origin.kind === "ours") return "Created and migrated by whodis-admin.";
  if (origin.kind === "empty") return "An empty database.";
  const tool = origin.migration_table ? ` (its migrations: ${origin.migration_table})` : "";
  return `Created by another program, such as the WhoDis server${tool}. whodis-admin reads and writes rows only; it never migrates this database.`;
}

function AdoptDialog({ plan, onClose }: { plan: AdoptPlan; onClose: () => void }) {
  const toast = useToast();
  const client = useQueryClient();
  const adopt = useMutation({
    mutationFn: () => api.adoptDatabase(plan.statements.map((s) => s.sql)),
    onSuccess: (done) => {
      toast.ok(`Adopted: ran ${done.statements.length} statements`);
      void client.invalidateQueries();
      onClose();
    },
    onError: toast.error,
  });
  return (
    <Dialog title={`Adopt this database: ${plan.statements.length} statements`} onClose={onClose}>
      <p>
        These statements run in one transaction, recorded in the audit log. The server's own inserts keep working:
        new columns are nullable or have a default.
      </p>
      <ol className="plan" data-testid="adopt-statements">
        {plan.statements.map((s) => (
          <li key={s.sql}>
            <pre>{s.sql}</pre>
            <span className="muted">{s.why}</span>
          </li>
        ))}
      </ol>
      {plan.skipped.length > 0 && (
        <details>
          <summary>Left out ({plan.skipped.length})</summary>
          <ul>
            {plan.skipped.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
        </details>
      )}
      <div className="dialog-actions">
        <button onClick={onClose}>Cancel</button>
        <button className="primary" onClick={() => adopt.mutate()} disabled={adopt.isPending} data-testid="adopt-confirm">
          {adopt.isPending ? "Adopting…" : "Run these statements"}
        </button>
      </div>
    </Dialog>
  );
}

export function SchemaScreen() {
  const report = useQuery({ queryKey: ["schema", "report"], queryFn: api.schemaReport });
  const plan = useQuery({ queryKey: ["schema", "plan"], queryFn: api.adoptPlan });
  const [confirming, setConfirming] = useState(false);
  if (report.error) return <p className="state-error">{errorText(report.error)}</p>;
  if (!report.data) return <p className="muted">Loading…</p>;
  const r = report.data;
  const statements = plan.data?.statements.length ?? 0;
  return (
    <div className="screen schema-screen" data-testid="schema-screen">
      <p data-testid="schema-origin">{originText(r)}</p>
      <section className="card">
        <h3>Features</h3>
        <ul className="features">
          {r.features.map((f) => (
            <li key={f.name} className={f.available ? "" : "warning"} data-testid="schema-feature">
              {f.available ? "✓" : "✗"} {f.name}
              {f.detail && <div className="muted">{f.detail}</div>}
            </li>
          ))}
        </ul>
        {r.origin.kind === "foreign" && (
          <div className="actions">
            <ActionButton
              permission="manage_schema"
              disabled={statements === 0}
              onClick={() => setConfirming(true)}
              data-testid="adopt-open"
            >
              {statements === 0 ? "Nothing to adopt" : `Adopt… (${statements} statements)`}
            </ActionButton>
          </div>
        )}
      </section>
      <table className="compat" data-testid="schema-tables">
        <thead>
          <tr>
            <th>Table</th>
            <th>Status</th>
            <th>Missing</th>
            <th>Extra (left alone)</th>
            <th>Notes</th>
          </tr>
        </thead>
        <tbody>
          {r.tables.map((t) => (
            <tr key={t.table} data-testid={`schema-row-${t.table}`}>
              <td>{t.table}</td>
              <td className={`status-${t.status}`}>{t.status}</td>
              <td>{[...t.missing_columns, ...t.incompatible_columns].join(", ")}</td>
              <td>{t.extra_columns.join(", ")}</td>
              <td className="muted">{t.notes.join("; ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {r.extra_tables.length > 0 && (
        <p className="muted" data-testid="schema-extra-tables">
          Other tables in this database (not managed here): {r.extra_tables.join(", ")}
        </p>
      )}
      {confirming && plan.data && <AdoptDialog plan={plan.data} onClose={() => setConfirming(false)} />}
    </div>
  );
}
