// The Users screen's own quick filters, each a chip of the list query like any other: email
// contains, active / inactive, and the N of "active within N days" (a query parameter chip;
// the backend computes each user's last activity and status in the page's query).
import { useState } from "react";

import type { Row } from "../../api";
import { TypingInput } from "../../components/TypingInput";
import { WITHIN_DAYS_COLUMN, chipValue, withChip, type Chip } from "../../lib/query";
import { formatInstant } from "../../lib/timeZone";

/** The backend's default N, and its largest. */
export const DEFAULT_WITHIN_DAYS = 30;
export const MAX_WITHIN_DAYS = 36_500;

const STATUSES = [
  { value: "", label: "all" },
  { value: "true", label: "active" },
  { value: "false", label: "inactive" },
] as const;

/** The N the chips ask for. */
export function withinDays(chips: Chip[]): number {
  const n = Number(chipValue(chips, WITHIN_DAYS_COLUMN, "eq"));
  return chipValue(chips, WITHIN_DAYS_COLUMN, "eq") !== "" && Number.isInteger(n) ? n : DEFAULT_WITHIN_DAYS;
}

/** Why a typed N cannot be used, or null. */
export function daysProblem(text: string): string | null {
  if (!/^\d+$/.test(text.trim())) return "Days must be a whole number, 0 or more";
  if (Number(text) > MAX_WITHIN_DAYS) return `Days must be at most ${MAX_WITHIN_DAYS}`;
  return null;
}

interface Props {
  chips: Chip[];
  onChange: (chips: Chip[]) => void;
}

export function ActivityFilters({ chips, onChange }: Props) {
  const status = chipValue(chips, "active", "eq");
  const [problem, setProblem] = useState<string | null>(null);
  const setDays = (text: string) => {
    const why = text.trim() === "" ? null : daysProblem(text);
    setProblem(why);
    if (why) return;
    const n = text.trim() === "" ? DEFAULT_WITHIN_DAYS : Number(text);
    onChange(withChip(chips, WITHIN_DAYS_COLUMN, "eq", n === DEFAULT_WITHIN_DAYS ? null : String(n)));
  };
  return (
    <>
      <TypingInput
        label="Email"
        placeholder="Email contains…"
        current={chipValue(chips, "email", "contains")}
        onSet={(text) => onChange(withChip(chips, "email", "contains", text.trim() || null))}
        testid="user-email-search"
      />
      <div className="segmented" role="group" aria-label="Filter by activity">
        {STATUSES.map((s) => (
          <button
            key={s.label}
            aria-pressed={status === s.value}
            onClick={() => onChange(withChip(chips, "active", "eq", s.value || null))}
            data-testid={`activity-filter-${s.label}`}
          >
            {s.label}
          </button>
        ))}
      </div>
      <span className="within-days" title="A user is active when a session or an audit event of theirs is this recent">
        active within
        <TypingInput
          label="Active within days"
          current={String(withinDays(chips))}
          onSet={setDays}
          testid="user-within-days"
        />
        days
      </span>
      {problem && (
        <span className="field-error" role="alert" data-testid="user-within-days-error">
          {problem}
        </span>
      )}
    </>
  );
}

/** The status cell: whether the user was seen within the N days the list was asked with. */
export function ActivityStatus({ row, days }: { row: Row; days: number }) {
  const active = row.active === true;
  const seen = row.last_activity_at ? `last seen ${formatInstant(String(row.last_activity_at))}` : "never seen";
  return (
    <span
      className={active ? "badge" : "muted"}
      title={`${active ? "Active" : "Not active"} within ${days} days (${seen})`}
      data-testid={`user-active-${String(row.id)}`}
    >
      {active ? "active" : "inactive"}
    </span>
  );
}
