// What the operator's role allows, from the grants the backend computed. The backend enforces;
// this only disables buttons and says why.
import type { Grant, Permission } from "../api";

export interface Allowance {
  allowed: boolean;
  /** Why not, for a disabled button's tooltip; empty when allowed. */
  reason: string;
}

export function allowance(grants: Grant[] | undefined, permission: Permission): Allowance {
  const grant = grants?.find((g) => g.permission === permission);
  if (!grant) return { allowed: false, reason: "Checking your role…" };
  if (grant.allowed) return { allowed: true, reason: "" };
  const reason = grant.reason ?? `requires the ${grant.required_role} role`;
  return { allowed: false, reason: reason.charAt(0).toUpperCase() + reason.slice(1) };
}
