// The audit log: who changed what, with "changes made with this app", a before/after diff,
// "Revert this change" and "Verify chain".
import { FROM, SUCCESS, TO, email, text } from "../logs/quickFilters";
import { LogTable, type LogScreenProps } from "../logs/LogTable";
import { AuditDiff } from "./AuditDiff";
import { RevertChange } from "./RevertChange";
import { VerifyChain } from "./VerifyChain";
import { hasAppChip, toggleAppChip } from "./appFilter";

const QUICK = [
  text("message", "Search message", "contains"),
  text("event_type", "Event type"),
  email("user_email", "User email"),
  text("ip_address", "IP address"),
  text("session_id", "Session id"),
  SUCCESS,
  FROM,
  TO,
];
const LEADING = ["created_at", "event_type", "user_email", "message", "success"];

export function AuditScreen({ chips, sort, onQueryChange }: LogScreenProps) {
  const extra = (
    <>
      <label className="toggle">
        <input
          type="checkbox"
          data-testid="audit-app-only"
          checked={hasAppChip(chips)}
          onChange={() => onQueryChange(toggleAppChip(chips), sort)}
        />
        Changes made with this app
      </label>
      <VerifyChain />
    </>
  );
  return (
    <LogTable
      table="audit_log"
      quick={QUICK}
      leading={LEADING}
      extra={extra}
      renderDetail={(row) => (
        <>
          <AuditDiff additionalData={row.additional_data} />
          <RevertChange auditId={Number(row.id)} />
        </>
      )}
      chips={chips}
      sort={sort}
      onQueryChange={onQueryChange}
    />
  );
}
