// The one time setting: times show, and bare days in filters are read, in local time (the
// default) or in UTC. Kept in the webview's storage; every table, chip, picker and the drawer
// read it here.
import { useSyncExternalStore } from "react";

import { isCompleteDay } from "./isoDay";

export type Zone = "local" | "utc";

const KEY = "whodis.timeZone";
const listeners = new Set<() => void>();

function stored(): Zone {
  try {
    return localStorage.getItem(KEY) === "utc" ? "utc" : "local";
  } catch {
    return "local";
  }
}

let zone: Zone = stored();

export function currentZone(): Zone {
  return zone;
}

export function setZone(next: Zone) {
  zone = next;
  try {
    localStorage.setItem(KEY, next);
  } catch {
    // storage refused (private mode): the setting lasts for this window only
  }
  listeners.forEach((l) => l());
}

export function useZone(): Zone {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    currentZone,
  );
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** "UTC+01:00" for the local offset at `at` (it changes with daylight saving). */
function offsetName(at: Date): string {
  const minutes = -at.getTimezoneOffset();
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The IANA name of the zone times show in ("Europe/Berlin", "UTC"): what exports write in. */
export function ianaZone(z: Zone = zone): string {
  return z === "utc" ? "UTC" : (Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC");
}

/** How the setting names itself: "local time (UTC+01:00)" or "UTC". */
export function zoneName(z: Zone = zone, at = new Date()): string {
  return z === "utc" ? "UTC" : `local time (${offsetName(at)})`;
}

/** A stored instant as `YYYY-MM-DD HH:MM:SS` in the zone; text that is no instant as it is. */
export function formatInstant(text: string, z: Zone = zone): string {
  // at most milliseconds: the rest of a microsecond fraction is not shown and not every engine parses it
  const at = new Date(text.replace(/(\.\d{3})\d+/, "$1"));
  if (Number.isNaN(at.getTime())) return text;
  if (z === "utc") return at.toISOString().slice(0, 19).replace("T", " ");
  return (
    `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ` +
    `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`
  );
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The instant a day (`YYYY-MM-DD`) starts in the zone, or null for text that is no day of the
 *  calendar (`2026-13-01` and `2026-02-30` are refused, not rolled over into another date). */
export function dayStart(day: string, z: Zone = zone, next = false): string | null {
  const m = DAY.exec(day.trim());
  if (!m || !isCompleteDay(day)) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]) - 1, Number(m[3]) + (next ? 1 : 0)];
  const at = z === "utc" ? new Date(Date.UTC(y, mo, d)) : new Date(y, mo, d);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

/** "30 Nov 2026" for a bare day, as chips show it. */
export function humanDay(day: string): string | null {
  const m = DAY.exec(day.trim());
  if (!m || !isCompleteDay(day)) return null;
  const at = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return at.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
}
