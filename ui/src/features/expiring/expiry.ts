// How an expiry reads: "expired 3 h ago" or "in 2 d", from the row's `expires_at`.
const UNITS: [number, string][] = [
  [86_400_000, "d"],
  [3_600_000, "h"],
  [60_000, "min"],
];

export function describeExpiry(expiresAt: string, now: number = Date.now()): { expired: boolean; text: string } {
  const at = Date.parse(expiresAt);
  if (Number.isNaN(at)) return { expired: false, text: "" };
  const delta = at - now;
  const abs = Math.abs(delta);
  const [unit, label] = UNITS.find(([u]) => abs >= u) ?? [60_000, "min"];
  const amount = Math.max(1, Math.floor(abs / unit));
  return delta <= 0
    ? { expired: true, text: `expired ${amount} ${label} ago` }
    : { expired: false, text: `in ${amount} ${label}` };
}
