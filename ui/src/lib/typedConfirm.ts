// The typed confirmation a production connection's destructive actions ask for: the database's
// name, exactly (PostgreSQL names are case-sensitive, so case counts), spaces around it ignored.

/** Whether `typed` confirms `expected`. An empty expected name is never confirmed by typing
 *  nothing: something must be typed. */
export function confirmationMatches(expected: string, typed: string): boolean {
  const want = expected.trim();
  return want.length > 0 && typed.trim() === want;
}

/** What the field under the box says while the typed text does not match yet. */
export function confirmationHint(expected: string, typed: string): string {
  if (confirmationMatches(expected, typed)) return "";
  if (typed.trim() === "") return `Type ${expected.trim()} to confirm.`;
  if (typed.trim().toLowerCase() === expected.trim().toLowerCase()) return "The name's case differs.";
  return "That is not this database's name.";
}
