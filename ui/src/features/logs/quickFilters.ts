// Quick filters: a control per common question ("who", "which session", "failed?", "when"), each
// owning one filter chip, so they live in the URL with the hand-built chips and show in the chip bar.
import { chipValue, withChip, type Chip, type Op } from "../../lib/query";

export type QuickKind = "text" | "email" | "bool" | "from" | "to";

export interface QuickFilter {
  column: string;
  op: Op;
  label: string;
  kind: QuickKind;
}

export const text = (column: string, label: string, op: Op = "eq"): QuickFilter => ({ column, op, label, kind: "text" });
/** An email box: a whole address is matched exactly (on its index, fast on any log), part of
 *  one by `contains` ("linus.easley" finds linus.easley40@…), which reads the log in time order
 *  until a page is found. */
export const email = (column: string, label: string): QuickFilter => ({ column, op: "contains", label, kind: "email" });
const WHOLE_EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
export const SUCCESS: QuickFilter = { column: "success", op: "eq", label: "Outcome", kind: "bool" };
// a day range on created_at, inclusive at both ends, in the chosen time zone (the chips hold the
// bare days; `toQuery` turns them into instants)
export const FROM: QuickFilter = { column: "created_at", op: "gte", label: "From", kind: "from" };
export const TO: QuickFilter = { column: "created_at", op: "lte", label: "To", kind: "to" };

const DAY = /^\d{4}-\d{2}-\d{2}/;

/** What the control shows for the current chips (a day box shows the bare day). */
export function inputFromChips(filter: QuickFilter, chips: Chip[]): string {
  const value = chipValue(chips, filter.column, filter.op) || (filter.kind === "email" ? chipValue(chips, filter.column, "eq") : "");
  if (filter.kind === "from" || filter.kind === "to") return DAY.exec(value)?.[0] ?? "";
  return value;
}

export function applyQuick(chips: Chip[], filter: QuickFilter, input: string): Chip[] {
  const value = input.trim() === "" ? null : input.trim();
  if (filter.kind !== "email") return withChip(chips, filter.column, filter.op, value);
  const exact = value !== null && WHOLE_EMAIL.test(value);
  const cleared = withChip(withChip(chips, filter.column, "eq", null), filter.column, "contains", null);
  return value === null ? cleared : withChip(cleared, filter.column, exact ? "eq" : "contains", value);
}
