// A link to another screen's rows (a role's row, a user's audit trail): an ordinary hash link,
// so back/forward and Alt+←/→ return, and the screen reached offers "Back" to where it came from.
import type { MouseEvent, ReactNode } from "react";

import { followLink } from "../app/links";
import { formatHash, type Route } from "../app/route";

interface Props {
  to: Route;
  children: ReactNode;
  title?: string;
  className?: string;
  "data-testid"?: string;
}

export function RecordLink({ to, children, title, className, ...rest }: Props) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    // the row under the link is not also opened in the drawer
    e.stopPropagation();
    followLink(to);
  };
  return (
    <a href={formatHash(to)} title={title} className={className ?? "record-link"} onClick={onClick} data-testid={rest["data-testid"]}>
      {children}
    </a>
  );
}

/** A drawer's "Linked records": links to the rows this one names or that name it. */
export function LinkedRecords({ links }: { links: { to: Route; label: string; title?: string; testid?: string }[] }) {
  if (links.length === 0) return null;
  return (
    <nav className="linked-records" aria-label="Linked records" data-testid="linked-records">
      <span className="muted">Linked records:</span>
      {links.map((l) => (
        <RecordLink key={l.label} to={l.to} title={l.title} data-testid={l.testid}>
          {l.label} →
        </RecordLink>
      ))}
    </nav>
  );
}
