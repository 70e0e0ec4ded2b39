// Quick filters: a control per common question ("who", "which session", "failed?", "when"), each
// owning one filter chip, so they live in the URL with the hand-built chips and show in the chip bar.
import { chipValue, withChip, type Chip, type Op } from "../../lib/query";

export type QuickKind = "text" | "bool" | "from" | "to";

export interface QuickFilter {
  column: string;
  op: Op;
  label: string;
  kind: QuickKind;
}

export const text = (column: string, label: string, op: Op = "eq"): QuickFilter => ({ column, op, label, kind: "text" });
export const SUCCESS: QuickFilter = { column: "success", op: "eq", label: "Outcome", kind: "bool" };
// a day range on created_at, inclusive at both ends, in the chosen time zone (the chips hold the
// bare days; `toQuery` turns them into instants)
export const FROM: QuickFilter = { column: "created_at", op: "gte", label: "From", kind: "from" };
export const TO: QuickFilter = { column: "created_at", op: "lte", label: "To", kind: "to" };

const DAY = /^\d{4}-\d{2}-\d{2}/;

/** What the control shows for the current chips (a date input wants the bare day). */
export function inputFromChips(filter: QuickFilter, chips: Chip[]): string {
  const value = chipValue(chips, filter.column, filter.op);
  if (filter.kind === "from" || filter.kind === "to") return DAY.exec(value)?.[0] ?? "";
  return value;
}

export function applyQuick(chips: Chip[], filter: QuickFilter, input: string): Chip[] {
  const value = input.trim();
  return withChip(chips, filter.column, filter.op, value === "" ? null : value);
}
