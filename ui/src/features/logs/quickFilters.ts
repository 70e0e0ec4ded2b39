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
// a day range on created_at, inclusive at both ends (days are UTC, as the backend reads them)
export const FROM: QuickFilter = { column: "created_at", op: "gte", label: "From", kind: "from" };
export const TO: QuickFilter = { column: "created_at", op: "lte", label: "To", kind: "to" };

const DAY = /^\d{4}-\d{2}-\d{2}/;

/** The chip value a control's input becomes; null clears the filter. */
export function chipFromInput(filter: QuickFilter, input: string): string | null {
  const value = input.trim();
  if (value === "") return null;
  // `lte` the day's last microsecond, so "To" includes the whole day
  return filter.kind === "to" ? `${value}T23:59:59.999999Z` : value;
}

/** What the control shows for the current chips (a date input wants the bare day). */
export function inputFromChips(filter: QuickFilter, chips: Chip[]): string {
  const value = chipValue(chips, filter.column, filter.op);
  if (filter.kind === "from" || filter.kind === "to") return DAY.exec(value)?.[0] ?? "";
  return value;
}

export function applyQuick(chips: Chip[], filter: QuickFilter, input: string): Chip[] {
  return withChip(chips, filter.column, filter.op, chipFromInput(filter, input));
}
