// A table's rows as a chain of keyset pages, of which only those around the viewport are held:
// pages ahead of it are fetched before they are needed, a page far behind it is let go (its
// cursor is kept, so scrolling back fetches it again), and a page that arrives after it stopped
// being wanted is never shown. Memory stays a few pages however far one scrolls; the scroll
// height is every row seen so far, so nothing waits for a count.
import { useQueries } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";

import { api, type Column, type Row, type TableName } from "../../api";
import { toQuery, type Chip, type SortState } from "../../lib/query";

/** Pages fetched beyond the last visible row, and kept before the first one. */
export const PAGES_AHEAD = 2;
export const PAGES_BEHIND = 2;
/** How long a page nobody shows stays cached (scrolling back soon is instant). */
const RELEASE_MS = 5_000;
/** How often a followed table asks for its first page again while it is scrolled to the top. */
export const FOLLOW_MS = 3_000;

/** One link of the chain: the cursor that fetches the page, and its length once seen. */
interface Link {
  cursor: string | null;
  length?: number;
}

/** A chain nothing has been fetched for: the first page's cursor. */
const FRESH: Link[] = [{ cursor: null }];

interface Chain {
  scope: string;
  links: Link[];
}

export interface PagedRows {
  /** Rows known so far: the scroll height. */
  count: number;
  /** The row at an index, or undefined while its page is being fetched. */
  row: (index: number) => Row | undefined;
  /** The index of the held row with this id, if its page is held. */
  indexOf: (id: unknown) => number | undefined;
  /** The rows of the pages held now (around the viewport), in order. */
  held: () => Row[];
  /** True until the first page arrives. */
  pending: boolean;
  error: unknown;
}

/** Index of the page holding `index`, given each page's first index (ascending). */
function pageOf(starts: number[], index: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The chain after page `i` answered: its length, and its successor's cursor (none at the end). */
export function relink(links: Link[], i: number, length: number, next: string | null): Link[] {
  const known = links[i + 1];
  if (links[i].length === length && (known?.cursor ?? null) === next) return links;
  const out = links.slice(0, i + 1);
  out[i] = { ...links[i], length };
  if (next === null) return out; // the end moved here: nothing follows
  // a successor that changed (rows were added or removed above it) starts over from here; the
  // pages after it keep their cursors and heal the same way when they are fetched again
  out.push(known?.cursor === next ? known : { cursor: next });
  return out.concat(links.slice(i + 2));
}

export function usePagedRows(
  table: TableName,
  chips: Chip[],
  sort: SortState | null,
  columns: Column[] | undefined,
  visible: { first: number; last: number },
  /** Ask for the first page again every few seconds (a live log at its top). */
  follow = false,
  /** Rows a page (a saved view's page size). */
  limit = 100,
): PagedRows {
  const scope = JSON.stringify([table, chips, sort, limit]);
  const [chain, setChain] = useState<Chain>({ scope, links: FRESH });
  const links = useMemo(() => (chain.scope === scope ? chain.links : FRESH), [chain, scope]);

  const starts = useMemo(() => {
    const out: number[] = [];
    let at = 0;
    for (const link of links) {
      out.push(at);
      at += link.length ?? 0;
    }
    return out;
  }, [links]);
  const last = links[links.length - 1];
  const count = starts[starts.length - 1] + (last.length ?? 0);

  const from = Math.max(0, pageOf(starts, Math.max(0, visible.first)) - PAGES_BEHIND);
  const to = Math.min(links.length - 1, pageOf(starts, Math.max(0, visible.last)) + PAGES_AHEAD);
  const wanted = useMemo(() => links.slice(from, to + 1), [links, from, to]);
  const pages = useQueries({
    queries: wanted.map((link) => ({
      queryKey: ["rows", table, chips, sort, "page", link.cursor, limit],
      enabled: columns !== undefined,
      gcTime: RELEASE_MS,
      refetchInterval: follow && link.cursor === null ? FOLLOW_MS : (false as const),
      queryFn: () => api.listRows(table, { ...toQuery(chips, sort, columns ?? [], link.cursor, limit), skip_total: true }),
    })),
  });

  // learn each answered page's length and successor; `relink` returns the same chain when
  // nothing changed, so this settles
  useEffect(() => {
    let next = links;
    pages.forEach((page, k) => {
      const i = from + k;
      if (page.data && next[i]?.cursor === wanted[k].cursor) {
        next = relink(next, i, page.data.rows.length, page.data.next_cursor);
      }
    });
    if (next !== links || chain.scope !== scope) setChain({ scope, links: next });
  }, [pages, links, wanted, from, scope, chain.scope]);

  const row = (index: number) => {
    const i = pageOf(starts, index);
    const page = i >= from && i <= to ? pages[i - from]?.data : undefined;
    return page?.rows[index - starts[i]];
  };
  const indexOf = (id: unknown) => {
    for (let k = 0; k < pages.length; k++) {
      const at = pages[k].data?.rows.findIndex((r) => r.id === id) ?? -1;
      if (at >= 0) return starts[from + k] + at;
    }
    return undefined;
  };
  const held = () => pages.flatMap((page) => page.data?.rows ?? []);
  return {
    count,
    row,
    indexOf,
    held,
    pending: count === 0 && links[0].length === undefined,
    error: pages.find((p) => p.error)?.error ?? null,
  };
}
