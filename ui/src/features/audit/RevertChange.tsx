// The audit drawer's "Revert this change": disabled with the reason when the change cannot be
// reverted (a secret, a row another program wrote, a row changed since) or the operator's role
// may not; otherwise it names what will change and asks first. The revert is a change of its
// own, recorded in the audit log with the row it reverts.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { api, type Value } from "../../api";
import { useSession } from "../../app/session";
import { errorText, useToast } from "../../app/toasts";
import { Confirm } from "../../components/Confirm";
import { formatCell } from "../../lib/format";
import { allowance } from "../../lib/permissions";
import { describeRevert, revertButton } from "./revert";

function Shown({ value }: { value: Value }) {
  if (value === null) return <em className="muted">(none)</em>;
  return <span>{typeof value === "object" ? JSON.stringify(value) : formatCell(value)}</span>;
}

export function RevertChange({ auditId }: { auditId: number }) {
  const grants = useSession()?.grants;
  const client = useQueryClient();
  const toast = useToast();
  const [asking, setAsking] = useState(false);
  const preview = useQuery({ queryKey: ["revert-preview", auditId], queryFn: () => api.revertPreview(auditId) });
  const revert = useMutation({
    mutationFn: () => api.revertChange(auditId),
    onSuccess: (done) => {
      toast.ok(`Reverted audit row ${done.reverts}: ${done.table} ${done.row_id}`);
      void client.invalidateQueries({ queryKey: ["rows", done.table] });
    },
    onSettled: () => {
      setAsking(false);
      void client.invalidateQueries({ queryKey: ["rows", "audit_log"] });
      void client.invalidateQueries({ queryKey: ["revert-preview"] });
    },
  });
  const state = preview.isError
    ? { enabled: false, reason: errorText(preview.error) }
    : revertButton(preview.data, (p) => allowance(grants, p));
  const plan = preview.data && state.enabled ? describeRevert(preview.data) : null;

  return (
    <section className="revert-change" data-testid="revert-change">
      <button
        disabled={!state.enabled || revert.isPending}
        title={state.enabled ? "Put back the values this change replaced (recorded in the audit log)" : state.reason}
        onClick={() => {
          revert.reset();
          setAsking(true);
        }}
        data-testid="revert-change-button"
      >
        Revert this change
      </button>
      {!state.enabled && preview.data && (
        <p className="muted" data-testid="revert-change-reason">
          {state.reason}
        </p>
      )}
      {revert.error && (
        <p className="state-error" role="alert" data-testid="revert-change-error">
          {errorText(revert.error)}
        </p>
      )}
      {asking && plan && (
        <Confirm
          title="Revert this change"
          action="Revert"
          busy={revert.isPending}
          onCancel={() => setAsking(false)}
          onConfirm={() => revert.mutate()}
        >
          <p>{plan.summary}</p>
          {plan.fields.length > 0 && (
            <div className="audit-diff">
              <table>
              <thead>
                <tr>
                  <th>field</th>
                  <th>now</th>
                  <th>after the revert</th>
                </tr>
              </thead>
              <tbody>
                {plan.fields.map((f) => (
                  <tr key={f.field}>
                    <td>{f.field}</td>
                    <td className="before">
                      <Shown value={f.from} />
                    </td>
                    <td className="after">
                      <Shown value={f.to} />
                    </td>
                  </tr>
                ))}
              </tbody>
              </table>
            </div>
          )}
          <p>The revert is recorded in the audit log as a change of its own, which can be reverted in turn.</p>
        </Confirm>
      )}
    </section>
  );
}
