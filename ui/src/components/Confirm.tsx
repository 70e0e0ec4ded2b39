// The one way an action that removes something or changes what someone may do asks first: a
// dialog that names what will change, Cancel first (so Enter on the opened dialog does nothing
// harmful), and the action's own verb on the button.
import type { ReactNode } from "react";

import { Dialog } from "./Dialog";

interface Props {
  title: string;
  /** What will change, in words the operator checks before confirming. */
  children: ReactNode;
  /** The button's verb ("Remove photo", "Make admin"). */
  action: string;
  onConfirm: () => void;
  onCancel: () => void;
  /** The action is running: the button waits. */
  busy?: boolean;
}

export function Confirm({ title, children, action, onConfirm, onCancel, busy }: Props) {
  return (
    <Dialog title={title} onClose={onCancel}>
      {children}
      <div className="dialog-actions">
        <button onClick={onCancel}>Cancel</button>
        <button className="danger" disabled={busy} onClick={onConfirm} data-testid="confirm">
          {action}
        </button>
      </div>
    </Dialog>
  );
}
