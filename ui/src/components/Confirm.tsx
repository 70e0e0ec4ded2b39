// The one way an action that removes something or changes what someone may do asks first, when
// it cannot be undone (one that can is made at once and offers Undo: app/undo): a dialog that
// names what will change, Cancel first (so Enter on the opened dialog does nothing harmful), and
// the action's own verb on the button. On a production connection (app/protection) it also asks
// for the database's name typed, and the button waits for it: every Confirm does, so no screen
// can forget to.
import { useState, type ReactNode } from "react";

import { useTypedConfirmation } from "../app/protection";
import { confirmationHint, confirmationMatches } from "../lib/typedConfirm";
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
  /** The text to type before the button works. Left out: the database's name on a production
   *  connection, nothing otherwise; `null`: never (an action that does not touch the database,
   *  such as removing a saved connection). */
  typeToConfirm?: string | null;
}

export function Confirm({ title, children, action, onConfirm, onCancel, busy, typeToConfirm }: Props) {
  const production = useTypedConfirmation();
  const expected = typeToConfirm === undefined ? production : typeToConfirm;
  const [typed, setTyped] = useState("");
  const confirmed = expected === null || confirmationMatches(expected, typed);
  return (
    <Dialog title={title} onClose={onCancel}>
      {children}
      {expected !== null && <TypedConfirmation expected={expected} typed={typed} onType={setTyped} />}
      <div className="dialog-actions">
        <button onClick={onCancel}>Cancel</button>
        <button className="danger" disabled={busy || !confirmed} onClick={onConfirm} data-testid="confirm">
          {action}
        </button>
      </div>
    </Dialog>
  );
}

/** The box where the database's name is typed (Confirm's, and dialogs with their own buttons,
 *  such as the key rotation's). */
export function TypedConfirmation(props: { expected: string; typed: string; onType: (typed: string) => void }) {
  const hint = confirmationHint(props.expected, props.typed);
  return (
    <label className="typed-confirmation">
      <span>
        This is a <strong>production</strong> database. Type its name, <code>{props.expected}</code>, to confirm:
      </span>
      <input
        value={props.typed}
        onChange={(e) => props.onType(e.target.value)}
        autoComplete="off"
        spellCheck={false}
        aria-invalid={hint !== "" && props.typed !== ""}
        data-testid="confirm-typed"
      />
      {hint && <span className="muted" data-testid="confirm-typed-hint">{hint}</span>}
    </label>
  );
}
