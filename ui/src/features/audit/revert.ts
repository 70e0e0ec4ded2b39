// "Revert this change": whether the drawer's button may be pressed (and if not, why), and the
// words the confirmation names the change with. The backend decides what a revert does
// (`revert_preview`); this only phrases it.
import type { Permission, RevertPreview, Value } from "../../api";
import type { Allowance } from "../../lib/permissions";

export interface RevertButton {
  enabled: boolean;
  /** Why not, for the tooltip and the line under the button; empty when enabled. */
  reason: string;
}

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The button's state: first whether the change can be reverted at all (from the log and the row
 *  as it is now), then whether the operator's role may make it. */
export function revertButton(
  preview: RevertPreview | undefined,
  allowance: (permission: Permission) => Allowance,
): RevertButton {
  if (!preview) return { enabled: false, reason: "Checking whether this change can be reverted…" };
  if (preview.blocked) return { enabled: false, reason: sentence(preview.blocked) };
  if (!preview.permission) return { enabled: false, reason: "This change cannot be reverted." };
  const allowed = allowance(preview.permission);
  return allowed.allowed ? { enabled: true, reason: "" } : { enabled: false, reason: allowed.reason };
}

export interface FieldChange {
  field: string;
  /** The value now (what the change left). */
  from: Value;
  /** The value it will have again. */
  to: Value;
}

/** What a revert will do, said for the confirmation: one sentence and the fields it sets. */
export function describeRevert(preview: RevertPreview): { summary: string; fields: FieldChange[] } {
  const row = `${preview.table ?? "row"} ${preview.row_id ?? ""}`.trim();
  const fields = preview.fields.map((f) => ({ field: f.field, from: f.after, to: f.before }));
  switch (preview.change) {
    case "create":
      return { summary: `Delete ${row}, which this change created.`, fields };
    case "delete":
      return { summary: `Recreate ${row}, which this change deleted, with the values it had.`, fields };
    default: {
      const n = fields.length;
      return {
        summary: `Set ${n === 1 ? "1 field" : `${n} fields`} of ${row} back to what ${n === 1 ? "it was" : "they were"} before this change.`,
        fields,
      };
    }
  }
}
