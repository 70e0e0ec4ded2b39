// URL-like state in the location hash (`#/users?f=role~eq~admin&sort=-created_at`), so back and
// forward move between screens and filters, and a reload keeps them.
import { isOp, type Chip, type SortState } from "../lib/query";

export interface Route {
  screen: string;
  chips: Chip[];
  sort: SortState | null;
}

const SEP = "~";

export function parseHash(hash: string): Route {
  const body = hash.replace(/^#\/?/, "");
  const [path, search = ""] = body.split("?", 2);
  const params = new URLSearchParams(search);
  const chips: Chip[] = [];
  for (const f of params.getAll("f")) {
    const [column, op, ...rest] = f.split(SEP);
    if (column && op && isOp(op)) chips.push({ column, op, value: rest.join(SEP) });
  }
  const s = params.get("sort");
  const sort = s ? { column: s.replace(/^-/, ""), descending: s.startsWith("-") } : null;
  return { screen: path || "dashboard", chips, sort };
}

export function formatHash(route: Route): string {
  const params = new URLSearchParams();
  for (const c of route.chips) params.append("f", [c.column, c.op, c.value].join(SEP));
  if (route.sort) params.set("sort", `${route.sort.descending ? "-" : ""}${route.sort.column}`);
  const search = params.toString();
  return `#/${route.screen}${search ? `?${search}` : ""}`;
}
