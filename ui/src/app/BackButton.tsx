// "← Back to Users": shown on a screen reached by a linked-record link, while the user is on it;
// it goes back in the history, as Alt+← does.
import { useArrivedBy } from "./links";

export function BackButton() {
  const hop = useArrivedBy();
  if (!hop) return null;
  return (
    <button className="back-button" onClick={() => window.history.back()} title="Back (Alt+←)" data-testid="back">
      ← Back to {hop.label}
    </button>
  );
}
