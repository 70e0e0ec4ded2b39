// "Changes made with this app": audit rows whose user agent is this app's (`whodis-admin/<ver> (…)`).
import type { Chip } from "../../lib/query";

export const APP_CHIP: Chip = { column: "user_agent", op: "contains", value: "whodis-admin/" };

export function hasAppChip(chips: Chip[]): boolean {
  return chips.some((c) => c.column === APP_CHIP.column && c.op === APP_CHIP.op && c.value === APP_CHIP.value);
}

export function toggleAppChip(chips: Chip[]): Chip[] {
  return hasAppChip(chips)
    ? chips.filter((c) => !(c.column === APP_CHIP.column && c.op === APP_CHIP.op && c.value === APP_CHIP.value))
    : [...chips, APP_CHIP];
}
