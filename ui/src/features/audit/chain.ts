// Words for the audit chain's verification report (VerifyChain).
import type { ChainReport, ProblemKind } from "../../api";

const LABELS: Record<ProblemKind, string> = {
  altered: "Altered",
  deleted: "Rows deleted before",
  inserted: "Inserted out of chain",
  unchained: "Not in the chain",
  unreadable: "Unreadable",
};

export function problemLabel(kind: ProblemKind): string {
  return LABELS[kind];
}

const n = (x: number) => x.toLocaleString("en-US");

/** One sentence: intact or where it breaks, with the counts. */
export function chainSummary(r: ChainReport): string {
  const counts = `${n(r.chained)} chained row${r.chained === 1 ? "" : "s"}, ${n(r.outside)} outside the chain (the server's, and changes from before the chain began)`;
  if (r.intact) return `Intact: ${counts}.`;
  const first = r.problems[0];
  const total = r.problems.length + (r.more_problems ? "+" : "");
  return `Broken at row #${first.id} (${problemLabel(first.kind).toLowerCase()}); ${total} problem${r.problems.length === 1 && !r.more_problems ? "" : "s"} in ${counts}.`;
}
