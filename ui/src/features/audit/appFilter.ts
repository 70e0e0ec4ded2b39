// "Changes made with this app": audit rows whose user agent is this app's (`whodis-admin/<ver> (…)`).
import { chipValue, withChip, type Chip } from "../../lib/query";

const COLUMN = "user_agent";
const APP_AGENT = "whodis-admin/";
export const APP_CHIP: Chip = { column: COLUMN, op: "contains", value: APP_AGENT };

export function hasAppChip(chips: Chip[]): boolean {
  return chipValue(chips, COLUMN, "contains") === APP_AGENT;
}

export function toggleAppChip(chips: Chip[]): Chip[] {
  return withChip(chips, COLUMN, "contains", hasAppChip(chips) ? null : APP_AGENT);
}
