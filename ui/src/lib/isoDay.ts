// Days typed as YYYY-MM-DD, the order every table shows them in (a native date picker follows
// the system's locale instead: mm/dd/yyyy on a US system). What a valid day means as a time is
// lib/timeZone's `dayStart`: that whole day in the chosen zone.

const SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** Why `text` is not a day (`YYYY-MM-DD` naming a day of the calendar), or null when it is one
 *  or is empty. */
export function dayProblem(text: string): string | null {
  const t = text.trim();
  if (t === "") return null;
  const m = SHAPE.exec(t);
  if (!m) return `Write the day as YYYY-MM-DD (e.g. 2026-11-30), not “${t}”`;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12) return `${t} is not a date: there is no month ${m[2]}`;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d < 1 || d > days) return `${t} is not a date: ${MONTHS[mo - 1]} ${m[1]} has ${days} days`;
  return null;
}

/** A whole, valid day as typed so far (ten characters), so it may be applied without Enter. */
export function isCompleteDay(text: string): boolean {
  return SHAPE.test(text.trim()) && dayProblem(text) === null;
}

/** Why a value typed for a time column names no day of the calendar, or null when it does: its
 *  day — the part before a `T` or a space (`2026-11-30T10:00Z`), or all of it — checked by
 *  `dayProblem`. So `2026-13-01` or `2026-02-30T08:00` is refused rather than read as another
 *  date. */
export function timeValueProblem(text: string): string | null {
  const day = text.trim().split(/[T ]/, 1)[0];
  return dayProblem(day);
}
