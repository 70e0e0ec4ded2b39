// Job-role compliance: the job code × system role matrix (click a cell to add or remove a
// mapping) and the report of employees whose held roles differ from what their job requires.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";

import { api } from "../../api";
import type { ComplianceReport } from "../../bindings";
import { usePermission } from "../../app/session";
import { ActionButton } from "../../components/ActionButton";
import { Confirm } from "../../components/Confirm";
import { errorText, useToast } from "../../app/toasts";
import { formatCount } from "../../lib/format";

/** A matrix cell: a job code and a system role, and their mapping if there is one. */
export interface Cell {
  job: string;
  role: string;
  jobCodeId: number;
  roleId: number;
  mappingId?: number;
}

/** How many employees a cell's change reaches: those with the job code, and how many of them
 *  hold the role. Read from the report: while the role is not required, a holder shows it as an
 *  extra role; while it is required, a non-holder shows it as missing. */
export function impactOf(report: ComplianceReport, cell: Cell): { employees: number; holding: number; without: number } | null {
  const employees = report.per_job_code.find((t) => t.job_code === cell.job)?.employees ?? 0;
  if (employees === 0) return null;
  const ofJob = report.gaps.filter((g) => g.job_code === cell.job);
  const holding =
    cell.mappingId === undefined
      ? ofJob.filter((g) => g.extra.includes(cell.role)).length
      : employees - ofJob.filter((g) => g.missing.includes(cell.role)).length;
  return { employees, holding, without: employees - holding };
}

function MatrixView() {
  const client = useQueryClient();
  const toast = useToast();
  const edit = usePermission("edit_compliance");
  const matrix = useQuery({ queryKey: ["compliance", "matrix"], queryFn: api.complianceMatrix });
  const refresh = () => void client.invalidateQueries({ queryKey: ["compliance"] });
  const toggle = useMutation({
    mutationFn: async ({ jobCodeId, roleId, mappingId }: Cell) => {
      if (mappingId !== undefined) await api.removeMapping({ id: mappingId });
      else await api.addMapping({ job_code_id: jobCodeId, system_role_id: roleId });
      return mappingId === undefined;
    },
    onSuccess: (added, cell) => {
      toast.ok(added ? `${cell.job} now requires ${cell.role}` : `${cell.job} no longer requires ${cell.role}`);
      refresh();
    },
    onError: (e) => {
      toast.error(e);
      refresh();
    },
  });
  // a cell changes what every employee with that job code must hold: named before it is made
  const [pending, setPending] = useState<Cell | null>(null);
  // who the change reaches, from the report (read when a cell is clicked)
  const report = useQuery({ queryKey: ["compliance", "report"], queryFn: api.complianceReport, enabled: pending !== null });
  const impact = pending && report.data ? impactOf(report.data, pending) : null;
  const mappingOf = useMemo(() => {
    const map = new Map<string, number>();
    for (const m of matrix.data?.mappings ?? []) map.set(`${m.job_code_id}:${m.system_role_id}`, m.id);
    return map;
  }, [matrix.data]);

  if (matrix.error) return <p className="state state-error">{errorText(matrix.error)}</p>;
  if (!matrix.data) return <p className="state">Loading…</p>;
  const { job_codes, roles } = matrix.data;
  return (
    <div className="matrix-wrap">
      <table className="matrix" data-testid="compliance-matrix">
        <thead>
          <tr>
            <th>job code</th>
            {roles.map((r) => (
              <th key={r.id} title={r.description ?? r.role_name}>
                <span>{r.role_name}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {job_codes.map((j) => (
            <tr key={j.id}>
              <th title={j.description ?? j.code}>{j.code}</th>
              {roles.map((r) => {
                const mappingId = mappingOf.get(`${j.id}:${r.id}`);
                return (
                  <td key={r.id}>
                    <input
                      type="checkbox"
                      aria-label={`${j.code} requires ${r.role_name}`}
                      data-testid={`mapping-${j.id}-${r.id}`}
                      checked={mappingId !== undefined}
                      disabled={!edit.allowed || toggle.isPending}
                      title={edit.allowed ? `${j.code} requires ${r.role_name}` : edit.reason}
                      onChange={() => setPending({ job: j.code, role: r.role_name, jobCodeId: j.id, roleId: r.id, mappingId })}
                    />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {pending && (
        <Confirm
          title={pending.mappingId === undefined ? "Require a role" : "Stop requiring a role"}
          action={pending.mappingId === undefined ? "Require it" : "Stop requiring it"}
          busy={toggle.isPending}
          onCancel={() => setPending(null)}
          onConfirm={() => toggle.mutate(pending, { onSettled: () => setPending(null) })}
        >
          {pending.mappingId === undefined ? (
            <p>
              Make job code <strong>{pending.job}</strong> require <strong>{pending.role}</strong>? Every employee with
              that job code who does not hold it becomes non-compliant (the report lists them).
            </p>
          ) : (
            <p>
              Stop job code <strong>{pending.job}</strong> requiring <strong>{pending.role}</strong>? Employees with that
              job code who hold it are then listed as holding an extra role.
            </p>
          )}
          <p data-testid="mapping-impact">
            {report.isPending
              ? "Counting the employees it reaches…"
              : impact
                ? pending.mappingId === undefined
                  ? `${formatCount(impact.employees)} employees have job code ${pending.job}; ${formatCount(impact.without)} of them do not hold ${pending.role} and become non-compliant.`
                  : `${formatCount(impact.employees)} employees have job code ${pending.job}; ${formatCount(impact.holding)} of them hold ${pending.role}, which becomes an extra role for them.`
                : `No employee has job code ${pending.job} now.`}
          </p>
        </Confirm>
      )}
    </div>
  );
}

function ExportReport() {
  const toast = useToast();
  const exportReport = useMutation({
    mutationFn: api.exportComplianceReport,
    onSuccess: (done) => done && toast.ok(`Exported ${formatCount(done.rows)} employees to ${done.path}`),
    onError: toast.error,
  });
  return (
    <ActionButton
      permission="export"
      onClick={() => exportReport.mutate()}
      disabled={exportReport.isPending}
      data-testid="export-report"
    >
      Export CSV…
    </ActionButton>
  );
}

function ReportView() {
  const report = useQuery({ queryKey: ["compliance", "report"], queryFn: api.complianceReport });
  const [text, setText] = useState("");
  if (report.error) return <p className="state state-error">{errorText(report.error)}</p>;
  if (!report.data) return <p className="state">Loading…</p>;
  const { employees_checked, gaps, per_job_code } = report.data;
  const needle = text.trim().toLowerCase();
  const shown = needle
    ? gaps.filter((g) => g.email.toLowerCase().includes(needle) || g.job_code.toLowerCase() === needle)
    : gaps;
  return (
    <div className="report" data-testid="compliance-report">
      <p>
        {formatCount(employees_checked)} employees with a job code; {formatCount(gaps.length)} differ from what their
        job code requires. <ExportReport />
      </p>
      <table className="stats">
        <thead>
          <tr>
            <th>job code</th>
            <th className="num">employees</th>
            <th className="num">compliant</th>
            <th className="num">missing roles</th>
            <th className="num">extra roles</th>
          </tr>
        </thead>
        <tbody>
          {per_job_code.map((t) => (
            <tr key={t.job_code} onClick={() => setText(t.job_code)} className="clickable">
              <td>{t.job_code}</td>
              <td className="num">{formatCount(t.employees)}</td>
              <td className="num">{formatCount(t.compliant)}</td>
              <td className="num">{formatCount(t.missing_roles)}</td>
              <td className="num">{formatCount(t.extra_roles)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <input
        type="search"
        placeholder="Filter by email or job code…"
        value={text}
        onChange={(e) => setText(e.target.value)}
        aria-label="Filter employees"
      />
      <table className="stats gaps">
        <thead>
          <tr>
            <th>employee</th>
            <th>job code</th>
            <th>missing</th>
            <th>extra</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((g) => (
            <tr key={g.email} data-testid="compliance-gap">
              <td>{g.email}</td>
              <td>{g.job_code}</td>
              <td className="danger">{g.missing.join(", ")}</td>
              <td>{g.extra.join(", ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ComplianceScreen() {
  const [tab, setTab] = useState<"matrix" | "report">("matrix");
  return (
    <div className="compliance">
      <div className="segmented" role="tablist">
        {(["matrix", "report"] as const).map((t) => (
          <button key={t} role="tab" aria-selected={tab === t} aria-pressed={tab === t} onClick={() => setTab(t)} data-testid={`tab-${t}`}>
            {t}
          </button>
        ))}
      </div>
      {tab === "matrix" ? <MatrixView /> : <ReportView />}
    </div>
  );
}
