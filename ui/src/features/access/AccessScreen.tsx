// Access attempts: every request the backend granted or refused (a refused command lands here).
import { FROM, SUCCESS, TO, email, text } from "../logs/quickFilters";
import { LogTable, type LogScreenProps } from "../logs/LogTable";

const QUICK = [
  text("message", "Search message", "contains"),
  text("resource", "Resource", "contains"),
  email("user_email", "User email"),
  text("ip_address", "IP address"),
  text("session_id", "Session id"),
  SUCCESS,
  FROM,
  TO,
];
const LEADING = ["created_at", "user_email", "resource", "success", "message"];

export function AccessScreen(props: LogScreenProps) {
  return <LogTable table="access_attempts" quick={QUICK} leading={LEADING} {...props} />;
}
