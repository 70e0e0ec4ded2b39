// The other half of confirmations: a small change that can be reversed is made at once and says
// so with an Undo button (components/Confirm asks first for what cannot be undone). Undo runs
// the change's inverse command; if that fails (someone changed the row meanwhile: a conflict),
// the error says which change could not be undone.
import { useCallback } from "react";

import { errorText, useToast } from "./toasts";

export interface Undoable {
  /** What was just done, as the toast says it ("CSR1 now requires Phone"). */
  done: string;
  /** The inverse command. */
  undo: () => Promise<unknown>;
  /** What the undo did, said once it worked ("CSR1 no longer requires Phone"). */
  undone: string;
  /** After the undo, worked or not (refresh what shows the change). */
  onSettled?: () => void;
}

/** The message for an undo that failed: which change stays, and why. */
export function undoFailedText(done: string, e: unknown): string {
  return `Could not undo “${done}”: ${errorText(e)}`;
}

/** Says a change was made and offers Undo for a few seconds (toasts' ACTION_MS). */
export function useOfferUndo() {
  const toast = useToast();
  return useCallback(
    ({ done, undo, undone, onSettled }: Undoable) =>
      toast.ok(done, {
        action: {
          label: "Undo",
          title: `Undo: ${undone}`,
          run: () => {
            undo()
              .then(
                () => toast.ok(`Undone: ${undone}`),
                (e: unknown) => toast.error(new Error(undoFailedText(done, e))),
              )
              .finally(() => onSettled?.());
          },
        },
      }),
    [toast],
  );
}
