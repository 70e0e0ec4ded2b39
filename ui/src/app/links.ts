// Linked records: routes from one row to the rows it names or that name it (a role id to its
// role, a user to their sessions and audit trail, an employee to their role assignments and
// compliance gaps), and the trail of links followed, so the screen reached offers "Back".
import { useSyncExternalStore } from "react";

import type { Table } from "../api";
import type { Chip } from "../lib/query";
import { formatHash, parseHash, type Route } from "./route";
import { SCREENS, screenById } from "./screens";

/** The screen listing `table` (its id in the hash), falling back to the table's name. */
export function screenOfTable(table: Table): string {
  return SCREENS.find((s) => s.table === table)?.id ?? table;
}

const eq = (column: string, value: string | number): Chip => ({ column, op: "eq", value: String(value) });

/** The screen of `table` filtered to the row with this id. */
export function rowRoute(table: Table, id: string | number): Route {
  return { screen: screenOfTable(table), chips: [eq("id", id)], sort: null };
}

/** `table`'s screen filtered to rows whose `column` equals `value`. */
export function whereRoute(table: Table, column: string, value: string | number): Route {
  return { screen: screenOfTable(table), chips: [eq(column, value)], sort: null };
}

export const linksOf = {
  /** What a user did (the audit log's `user_email`). */
  auditTrail: (email: string) => whereRoute("audit_log", "user_email", email),
  sessions: (email: string) => whereRoute("sessions", "user_email", email),
  user: (email: string) => whereRoute("users", "email", email),
  profile: (email: string) => whereRoute("employee_profiles", "email", email),
  roleAssignments: (email: string) => whereRoute("employee_role_assignments", "employee_email", email),
  /** The compliance report narrowed to one employee. */
  complianceGaps: (email: string): Route => ({ screen: "compliance", chips: [eq("email", email)], sort: null }),
};

// ---- the trail of followed links ----

interface Hop {
  /** Where the link was followed from, and where it led (both normalised hashes). */
  from: string;
  to: string;
  /** The screen it was followed from ("Users"). */
  label: string;
}

const MAX_HOPS = 50;
let hops: Hop[] = [];
const listeners = new Set<() => void>();
let watching = false;

const normal = (hash: string) => formatHash(parseHash(hash));
const notify = () => listeners.forEach((l) => l());

function watch() {
  if (watching) return;
  watching = true;
  window.addEventListener("hashchange", () => {
    // going back to where the last link was followed from ends that hop
    const top = hops[hops.length - 1];
    if (top && normal(window.location.hash) === top.from) hops = hops.slice(0, -1);
    notify();
  });
}

/** Records that a link to `to` is being followed from the current screen. */
export function followLink(to: Route) {
  watch();
  const from = normal(window.location.hash);
  const target = formatHash(to);
  if (from === target) return;
  const label = screenById(parseHash(window.location.hash).screen).label;
  hops = [...hops, { from, to: target, label }].slice(-MAX_HOPS);
  notify();
}

function current(): Hop | null {
  const top = hops[hops.length - 1];
  return top && top.to === normal(window.location.hash) ? top : null;
}

function subscribe(listener: () => void) {
  watch();
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The hop that led to this screen, while the user is still on the screen the link opened. */
export function useArrivedBy(): Hop | null {
  return useSyncExternalStore(subscribe, current);
}

/** For tests: forgets the trail. */
export function resetTrail() {
  hops = [];
  notify();
}
