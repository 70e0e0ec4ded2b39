// Job-role compliance: the job code × system role matrix (a cell adds or removes a mapping at
// once, with Undo) and the report of employees whose held roles differ from what their job
// requires, with each gap's fixes: for the employee alone (assign the missing role, remove the
// extra one: at once, with Undo), or at the job code (require the extra role, stop requiring the
// missing one: asked first, with the employees it reaches); and links to the employee's profile
// and role assignments.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";

import { api } from "../../api";
import type { ComplianceReport, EmployeeGap, Matrix_Serialize } from "../../bindings";
import { linksOf } from "../../app/links";
import { useProductionGate } from "../../app/productionGate";
import { usePermission } from "../../app/session";
import { ActionButton } from "../../components/ActionButton";
import { Confirm } from "../../components/Confirm";
import { exportedText } from "../../components/ExportButton";
import { RecordLink } from "../../components/RecordLink";
import { errorText, useToast } from "../../app/toasts";
import { useOfferUndo } from "../../app/undo";
import { formatCount } from "../../lib/format";
import { chipValue, withChip, type ScreenQuery } from "../../lib/query";

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

/** What a mapping change did, as its toast says it: with the employees it reaches when the
 *  report is at hand ("CSR1 now requires Phone (2 of its 3 employees do not hold it)"). */
export function changedText(cell: Cell, report: ComplianceReport | undefined): string {
  const adding = cell.mappingId === undefined;
  const said = adding ? `${cell.job} now requires ${cell.role}` : `${cell.job} no longer requires ${cell.role}`;
  const impact = report ? impactOf(report, cell) : null;
  if (!impact) return said;
  const of = `of its ${formatCount(impact.employees)} employee${impact.employees === 1 ? "" : "s"}`;
  return adding
    ? `${said} (${formatCount(impact.without)} ${of} do not hold it)`
    : `${said} (${formatCount(impact.holding)} ${of} hold it as an extra role)`;
}

/** Adds or removes one mapping at once, then refreshes the matrix and the report; the toast
 *  offers Undo, the inverse: remove_mapping of the mapping just added (by its new id), or
 *  add_mapping of the same job code and role. */
function useMappingChange() {
  const client = useQueryClient();
  const toast = useToast();
  const offerUndo = useOfferUndo();
  const refresh = () => void client.invalidateQueries({ queryKey: ["compliance"] });
  return useMutation({
    mutationFn: async ({ jobCodeId, roleId, mappingId }: Cell): Promise<number | null> => {
      if (mappingId !== undefined) {
        await api.removeMapping({ id: mappingId });
        return null;
      }
      return (await api.addMapping({ job_code_id: jobCodeId, system_role_id: roleId })).id;
    },
    // the employees it reaches, counted from the report as it was before the change
    onMutate: (cell) => ({ done: changedText(cell, client.getQueryData<ComplianceReport>(["compliance", "report"])) }),
    onSuccess: (addedId, cell, context) => {
      const pair = { job_code_id: cell.jobCodeId, system_role_id: cell.roleId };
      offerUndo({
        done: context?.done ?? changedText(cell, undefined),
        undo: () => (addedId !== null ? api.removeMapping({ id: addedId }) : api.addMapping(pair)),
        undone: addedId !== null ? `${cell.job} no longer requires ${cell.role}` : `${cell.job} requires ${cell.role} again`,
        onSettled: refresh,
      });
      refresh();
    },
    onError: (e) => {
      toast.error(e);
      refresh();
    },
  });
}

/** One employee's role to give (a missing role) or take (an extra one). */
export interface Holding {
  email: string;
  role: string;
  roleId: number;
  /** true: assign_role (the role is missing); false: unassign_role (it is extra). */
  assign: boolean;
}

/** Gives or takes one employee's role at once, then refreshes the report and the assignments;
 *  the toast offers Undo, the inverse command (unassign what was assigned, assign back what was
 *  taken). */
function useHoldingChange() {
  const client = useQueryClient();
  const toast = useToast();
  const offerUndo = useOfferUndo();
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ["compliance"] });
    void client.invalidateQueries({ queryKey: ["rows", "employee_role_assignments"] });
  };
  return useMutation({
    mutationFn: async ({ email, roleId, assign }: Holding) => {
      const req = { employee_email: email, system_role_id: roleId };
      if (assign) await api.assignRole(req);
      else await api.unassignRole(req);
    },
    onSuccess: (_, { email, role, roleId, assign }) => {
      const req = { employee_email: email, system_role_id: roleId };
      offerUndo({
        done: assign ? `${email} now holds ${role}` : `${email} no longer holds ${role}`,
        undo: () => (assign ? api.unassignRole(req) : api.assignRole(req)),
        undone: assign ? `${email} no longer holds ${role}` : `${email} holds ${role} again`,
        onSettled: refresh,
      });
      refresh();
    },
    onError: (e) => {
      toast.error(e);
      refresh();
    },
  });
}

/** Asks before a mapping changes, naming the job code, the role and the employees it reaches
 *  (counted from the report, read when asked). */
function MappingConfirm({ cell, busy, onCancel, onConfirm }: { cell: Cell; busy: boolean; onCancel: () => void; onConfirm: () => void }) {
  const report = useQuery({ queryKey: ["compliance", "report"], queryFn: api.complianceReport });
  const impact = report.data ? impactOf(report.data, cell) : null;
  const adding = cell.mappingId === undefined;
  return (
    <Confirm
      title={adding ? "Require a role" : "Stop requiring a role"}
      action={adding ? "Require it" : "Stop requiring it"}
      busy={busy}
      onCancel={onCancel}
      onConfirm={onConfirm}
    >
      {adding ? (
        <p>
          Make job code <strong>{cell.job}</strong> require <strong>{cell.role}</strong>? Every employee with that job
          code who does not hold it becomes non-compliant (the report lists them).
        </p>
      ) : (
        <p>
          Stop job code <strong>{cell.job}</strong> requiring <strong>{cell.role}</strong>? Employees with that job code
          who hold it are then listed as holding an extra role.
        </p>
      )}
      <p data-testid="mapping-impact">
        {report.isPending
          ? "Counting the employees it reaches…"
          : impact
            ? adding
              ? `${formatCount(impact.employees)} employees have job code ${cell.job}; ${formatCount(impact.without)} of them do not hold ${cell.role} and become non-compliant.`
              : `${formatCount(impact.employees)} employees have job code ${cell.job}; ${formatCount(impact.holding)} of them hold ${cell.role}, which becomes an extra role for them.`
            : `No employee has job code ${cell.job} now.`}
      </p>
    </Confirm>
  );
}

function useMatrix() {
  return useQuery({ queryKey: ["compliance", "matrix"], queryFn: api.complianceMatrix });
}

/** `"<job code id>:<role id>"` → the mapping's id. */
function mappingIds(matrix: Matrix_Serialize | undefined): Map<string, number> {
  const map = new Map<string, number>();
  for (const m of matrix?.mappings ?? []) map.set(`${m.job_code_id}:${m.system_role_id}`, m.id);
  return map;
}

function MatrixView() {
  const edit = usePermission("edit_compliance");
  const matrix = useMatrix();
  // read beside the matrix, so a change's toast can say how many employees it reaches
  useQuery({ queryKey: ["compliance", "report"], queryFn: api.complianceReport, enabled: edit.allowed });
  // a cell changes at once and offers Undo (the toast says whom it reaches)
  const toggle = useMappingChange();
  // on production it asks first, with the database's name typed
  const { gate, dialog } = useProductionGate();
  const mappingOf = useMemo(() => mappingIds(matrix.data), [matrix.data]);

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
                      onChange={() =>
                        gate(
                          {
                            title: mappingId === undefined ? "Require a role" : "Stop requiring a role",
                            action: mappingId === undefined ? "Require it" : "Stop requiring it",
                            text:
                              mappingId === undefined
                                ? `Make job code ${j.code} require ${r.role_name}?`
                                : `Stop job code ${j.code} requiring ${r.role_name}?`,
                          },
                          () => toggle.mutate({ job: j.code, role: r.role_name, jobCodeId: j.id, roleId: r.id, mappingId }),
                        )
                      }
                    />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {dialog}
    </div>
  );
}

function ExportReport() {
  const toast = useToast();
  const exportReport = useMutation({
    mutationFn: api.exportComplianceReport,
    // the report is written as CSV whatever the file is called
    onSuccess: (done) => done && toast.ok(exportedText(done, { noun: "employees", format: "CSV" })),
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

/** The matrix cell a gap's role sits in: the mapping to add (an extra role) or remove (a
 *  missing one), or null while the matrix loads or when a name is not in it. */
export function cellOf(matrix: Matrix_Serialize | undefined, gap: EmployeeGap, role: string): Cell | null {
  const job = matrix?.job_codes.find((j) => j.code === gap.job_code);
  const systemRole = matrix?.roles.find((r) => r.role_name === role);
  if (!matrix || !job || !systemRole) return null;
  const mappingId = mappingIds(matrix).get(`${job.id}:${systemRole.id}`);
  return { job: job.code, role, jobCodeId: job.id, roleId: systemRole.id, mappingId };
}

/** The id of the system role named `role`, or null while the matrix loads or when it is not
 *  in it. */
export function roleIdOf(matrix: Matrix_Serialize | undefined, role: string): number | null {
  return matrix?.roles.find((r) => r.role_name === role)?.id ?? null;
}

/** A gap's role with its fixes: first for this employee alone ("Assign <role>" for a missing
 *  role, "Remove <role>" for an extra one: at once, with Undo), then at the job code, for every
 *  employee with it ("Require…" an extra role, "Don't require…" a missing one: asked first). */
function GapRole(props: {
  gap: EmployeeGap;
  role: string;
  missing: boolean;
  matrix: Matrix_Serialize | undefined;
  onFix: (cell: Cell) => void;
  onHolding: (holding: Holding) => void;
  busy: boolean;
}) {
  const { gap, role, missing, matrix, onFix, onHolding, busy } = props;
  const cell = cellOf(matrix, gap, role);
  const roleId = roleIdOf(matrix, role);
  // the fix is the mapping's opposite: only offered when the matrix agrees with the report
  const fits = cell !== null && (missing ? cell.mappingId !== undefined : cell.mappingId === undefined);
  const what = missing ? `Stop job code ${gap.job_code} requiring ${role}` : `Make job code ${gap.job_code} require ${role}`;
  const mine = missing ? `Record that ${gap.email} holds ${role}` : `Record that ${gap.email} no longer holds ${role}`;
  return (
    <span className="gap-role">
      {role}
      <ActionButton
        permission="edit_compliance"
        className="small"
        disabled={roleId === null || busy}
        title={roleId === null ? "Loading the matrix…" : `${mine} (this employee only; Undo follows)`}
        onClick={() => roleId !== null && onHolding({ email: gap.email, role, roleId, assign: missing })}
        data-testid={missing ? "gap-assign" : "gap-unassign"}
      >
        {missing ? `Assign ${role}` : `Remove ${role}`}
      </ActionButton>
      <ActionButton
        permission="edit_compliance"
        className="small"
        disabled={!fits}
        title={fits ? `${what} (for every employee with that job code)` : "Loading the matrix…"}
        onClick={() => cell && onFix(cell)}
        data-testid={missing ? "gap-unrequire" : "gap-require"}
      >
        {missing ? "Don't require…" : "Require…"}
      </ActionButton>
    </span>
  );
}

function ReportView({ employee, onClearEmployee }: { employee: string; onClearEmployee: () => void }) {
  const report = useQuery({ queryKey: ["compliance", "report"], queryFn: api.complianceReport });
  const matrix = useMatrix();
  const change = useMappingChange();
  const holding = useHoldingChange();
  // on production a gap's fix asks first, with the database's name typed
  const { gate, dialog } = useProductionGate();
  const fixHolding = (h: Holding) =>
    gate(
      {
        title: h.assign ? "Assign a role" : "Remove a role",
        action: h.assign ? `Assign ${h.role}` : `Remove ${h.role}`,
        text: h.assign ? `Give ${h.email} the role ${h.role}?` : `Take the role ${h.role} from ${h.email}?`,
      },
      () => holding.mutate(h),
    );
  const [fixing, setFixing] = useState<Cell | null>(null);
  const [text, setText] = useState("");
  if (report.error) return <p className="state state-error">{errorText(report.error)}</p>;
  if (!report.data) return <p className="state">Loading…</p>;
  const { employees_checked, gaps, per_job_code } = report.data;
  const needle = text.trim().toLowerCase();
  const person = employee.toLowerCase();
  const shown = gaps
    .filter((g) => !person || g.email.toLowerCase() === person)
    .filter((g) => !needle || g.email.toLowerCase().includes(needle) || g.job_code.toLowerCase() === needle);
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
      <div className="filter-bar">
        {employee && (
          <span className="chip" data-testid="filter-chip">
            employee = {employee}
            <button aria-label={`Remove filter employee = ${employee}`} onClick={onClearEmployee}>
              ×
            </button>
          </span>
        )}
        <input
          type="search"
          placeholder="Filter by email or job code…"
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-label="Filter employees"
        />
      </div>
      {employee && shown.length === 0 && (
        <p className="state" data-testid="no-gaps">
          No gaps for {employee}: they hold what their job code requires, or their Keystone record has no job code.
        </p>
      )}
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
              <td>
                <RecordLink to={linksOf.profile(g.email)} title="Open the employee's profile">
                  {g.email}
                </RecordLink>{" "}
                <RecordLink to={linksOf.roleAssignments(g.email)} className="record-link muted" title="The roles this employee holds" data-testid="gap-assignments">
                  roles held
                </RecordLink>
              </td>
              <td>{g.job_code}</td>
              <td className="danger">
                {g.missing.map((r) => (
                  <GapRole key={r} gap={g} role={r} missing matrix={matrix.data} onFix={setFixing} onHolding={fixHolding} busy={holding.isPending} />
                ))}
              </td>
              <td>
                {g.extra.map((r) => (
                  <GapRole key={r} gap={g} role={r} missing={false} matrix={matrix.data} onFix={setFixing} onHolding={fixHolding} busy={holding.isPending} />
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {dialog}
      {fixing && (
        <MappingConfirm
          cell={fixing}
          busy={change.isPending}
          onCancel={() => setFixing(null)}
          onConfirm={() => change.mutate(fixing, { onSettled: () => setFixing(null) })}
        />
      )}
    </div>
  );
}

/** The route's `email = …` chip narrows the report to one employee (a profile's "Compliance gaps"). */
export function ComplianceScreen({ chips = [], sort = null, onQueryChange }: Partial<ScreenQuery>) {
  const employee = chipValue(chips, "email", "eq");
  const [tab, setTab] = useState<"matrix" | "report">(employee ? "report" : "matrix");
  // a link to an employee's gaps opens the report, also when the screen is already open
  useEffect(() => {
    if (employee) setTab("report");
  }, [employee]);
  return (
    <div className="compliance">
      <div className="segmented" role="tablist">
        {(["matrix", "report"] as const).map((t) => (
          <button key={t} role="tab" aria-selected={tab === t} aria-pressed={tab === t} onClick={() => setTab(t)} data-testid={`tab-${t}`}>
            {t}
          </button>
        ))}
      </div>
      {tab === "matrix" ? (
        <MatrixView />
      ) : (
        <ReportView employee={employee} onClearEmployee={() => onQueryChange?.(withChip(chips, "email", "eq", null), sort)} />
      )}
    </div>
  );
}
