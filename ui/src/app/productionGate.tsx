// The acts-at-once-with-Undo changes (app/undo) on a production connection: there they ask first,
// through Confirm and so with the database's name typed, since an Undo missed in a toast leaves
// the change on the live database. Elsewhere they act at once, as before.
import { useCallback, useState, type ReactNode } from "react";

import { Confirm } from "../components/Confirm";
import { useTypedConfirmation } from "./protection";

export interface Ask {
  title: string;
  /** The button's verb. */
  action: string;
  /** What will change. */
  text: string;
}

/** `gate(ask, act)`: acts at once, or on production opens the dialog (render `dialog`). */
export function useProductionGate(): { gate: (ask: Ask, act: () => void) => void; dialog: ReactNode } {
  const production = useTypedConfirmation() !== null;
  const [pending, setPending] = useState<{ ask: Ask; act: () => void } | null>(null);
  const gate = useCallback(
    (ask: Ask, act: () => void) => {
      if (production) setPending({ ask, act });
      else act();
    },
    [production],
  );
  const dialog = pending && (
    <Confirm
      title={pending.ask.title}
      action={pending.ask.action}
      onCancel={() => setPending(null)}
      onConfirm={() => {
        setPending(null);
        pending.act();
      }}
    >
      <p>{pending.ask.text}</p>
    </Confirm>
  );
  return { gate, dialog };
}
