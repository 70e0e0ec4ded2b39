// The error log; a row's stack trace leads its detail, where it has room.
import type { Row } from "../../api";
import { FROM, TO, email, text } from "../logs/quickFilters";
import { LogTable, type LogScreenProps } from "../logs/LogTable";

const QUICK = [
  text("message", "Search message", "contains"),
  text("error_type", "Error type"),
  email("user_email", "User email"),
  text("ip_address", "IP address"),
  text("session_id", "Session id"),
  FROM,
  TO,
];
const LEADING = ["created_at", "error_type", "message", "user_email"];

function StackTrace({ row }: { row: Row }) {
  if (typeof row.stack_trace !== "string" || row.stack_trace === "") return null;
  return (
    <section className="stack-trace" data-testid="stack-trace">
      <h3>Stack trace</h3>
      <pre>{row.stack_trace}</pre>
    </section>
  );
}

export function ErrorsScreen(props: LogScreenProps) {
  return (
    <LogTable
      table="error_log"
      quick={QUICK}
      leading={LEADING}
      renderDetail={(row) => <StackTrace row={row} />}
      {...props}
    />
  );
}
