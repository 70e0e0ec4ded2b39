// "Verify chain" on the audit log: walks every audit row with progress and names the first row
// that was altered, deleted or inserted out of the hash chain (each a link to that row). Before
// the chain is started it says so, and an admin can start it here.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { api, type ChainReport, type Problem } from "../../api";
import { rowRoute } from "../../app/links";
import { useSession } from "../../app/session";
import { errorText, useToast } from "../../app/toasts";
import { Dialog } from "../../components/Dialog";
import { RecordLink } from "../../components/RecordLink";
import { allowance } from "../../lib/permissions";
import { formatInstant } from "../../lib/timeZone";
import { chainSummary, problemLabel } from "./chain";

export function VerifyChain() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button onClick={() => setOpen(true)} title="Check the audit log's hash chain for rows altered, deleted or inserted" data-testid="verify-chain">
        Verify chain
      </button>
      {open && <VerifyDialog onClose={() => setOpen(false)} />}
    </>
  );
}

function VerifyDialog({ onClose }: { onClose: () => void }) {
  const grants = useSession()?.grants;
  const client = useQueryClient();
  const toast = useToast();
  const [progress, setProgress] = useState<{ rows: number; total: number } | null>(null);
  const status = useQuery({ queryKey: ["audit-chain-status"], queryFn: api.auditChainStatus });
  const verify = useMutation({
    mutationFn: () => api.verifyAuditChain(setProgress),
    onSettled: () => setProgress(null),
  });
  const start = useMutation({
    mutationFn: api.startAuditChain,
    onSuccess: () => {
      toast.ok("Started the audit chain: every change from now on is sealed");
      void client.invalidateQueries({ queryKey: ["audit-chain-status"] });
      void client.invalidateQueries({ queryKey: ["rows", "audit_log"] });
    },
  });
  const mayStart = allowance(grants, "manage_keys");
  const notStarted = status.data && !status.data.started;

  return (
    <Dialog title="Audit chain" onClose={onClose}>
      <div className="verify-chain" data-testid="verify-chain-dialog">
        {status.isError && <p className="state-error">{errorText(status.error)}</p>}
        {notStarted && (
          <p data-testid="chain-not-started">
            The chain has not been started on this database: changes are recorded, but nothing proves later that
            they were not edited. Starting it makes a key in this computer's keyring and seals every change from
            then on; other admins then need the key (Configuration → Keys → export the chain key).
          </p>
        )}
        {status.data?.started && !status.data.key_fingerprint && (
          <p className="warning" data-testid="chain-key-missing">
            The chain has started, but this keyring has no key for it: import it from an admin who has it to
            verify and to make changes.
          </p>
        )}
        {status.data?.key_fingerprint && (
          <p className="muted">
            Chain key <code>{status.data.key_fingerprint}</code>
          </p>
        )}
        {progress && (
          <div data-testid="verify-progress">
            <progress value={progress.rows} max={Math.max(progress.total, 1)} />
            <span className="muted">
              {progress.rows.toLocaleString()} of about {progress.total.toLocaleString()} rows read
            </span>
          </div>
        )}
        {verify.error && (
          <p className="state-error" role="alert">
            {errorText(verify.error)}
          </p>
        )}
        {start.error && (
          <p className="state-error" role="alert">
            {errorText(start.error)}
          </p>
        )}
        {verify.data && <Report report={verify.data} onFollow={onClose} />}
      </div>
      <div className="dialog-actions">
        <button onClick={onClose}>Close</button>
        {notStarted && (
          <button
            disabled={!mayStart.allowed || start.isPending}
            title={mayStart.allowed ? "Make the chain key and seal every change from now on" : mayStart.reason}
            onClick={() => start.mutate()}
            data-testid="start-chain"
          >
            Start the chain
          </button>
        )}
        <button
          className="primary"
          disabled={verify.isPending || !status.data?.started}
          onClick={() => verify.mutate()}
          data-testid="run-verify"
        >
          {verify.isPending ? "Verifying…" : "Verify"}
        </button>
      </div>
    </Dialog>
  );
}

function Report({ report, onFollow }: { report: ChainReport; onFollow: () => void }) {
  return (
    <div data-testid="verify-report" data-intact={report.intact}>
      <p className={report.intact ? "state-ok" : "state-error"} data-testid="verify-summary">
        {chainSummary(report)}
      </p>
      {report.last && (
        <p className="muted">
          Newest chained row: #{report.last.id} (sequence {report.last.seq}
          {report.last.created_at ? `, ${formatInstant(report.last.created_at)}` : ""}). The chain cannot show its
          newest rows being removed: compare with the last row you know of.
        </p>
      )}
      {report.problems.length > 0 && (
        <ul className="chain-problems" data-testid="verify-problems">
          {report.problems.map((p: Problem) => (
            <li key={`${p.kind}-${p.id}`}>
              <strong>{problemLabel(p.kind)}</strong>{" "}
              <span onClick={onFollow}>
                <RecordLink to={rowRoute("audit_log", p.id)}>row #{p.id}</RecordLink>
              </span>
              : {p.message}
            </li>
          ))}
          {report.more_problems && <li className="muted">…and more: the first {report.problems.length} are listed.</li>}
        </ul>
      )}
    </div>
  );
}
