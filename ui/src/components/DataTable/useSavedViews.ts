// A table's saved views as the toolbar's Views menu uses them: the list (React Query, from the
// app's config folder), saving, deleting and the default mark, applying one (filters and sort
// through the route, the column layout through `useColumnLayout`, the page size here), and the
// default view applied once when the table opens. With no view saved nothing changes.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";

import { api, type Column, type View, type ViewList } from "../../api";
import type { Chip, SortState } from "../../lib/query";
import type { ColumnLayout } from "./useColumnLayout";
import { applyView, DEFAULT_PAGE_SIZE, showsView, viewOf } from "./savedViews";

interface Args {
  table: string;
  chips: Chip[];
  sort: SortState | null;
  onQueryChange: (chips: Chip[], sort: SortState | null) => void;
  layout: ColumnLayout;
  /** The table's own columns (what filters and sort can name), once known. */
  own: Column[] | undefined;
  /** Every laid-out column, own and derived. */
  laidOut: string[];
}

export interface SavedViews {
  list: ViewList | undefined;
  error: unknown;
  pageSize: number;
  /** The view last applied, while the table still shows its filters and sort. */
  current: string | null;
  apply: (view: View) => void;
  save: (name: string, pageSize: number, overwrite: boolean) => Promise<ViewList>;
  remove: (name: string) => Promise<ViewList>;
  setDefault: (name: string | null) => Promise<ViewList>;
}

export function useSavedViews({ table, chips, sort, onQueryChange, layout, own, laidOut }: Args): SavedViews {
  const client = useQueryClient();
  const key = ["views", table];
  const query = useQuery({ queryKey: key, queryFn: () => api.listViews(table), staleTime: Infinity });
  // per table: another table in the same place starts from the defaults
  const [state, setState] = useState<{ table: string; pageSize: number; current: string | null }>({
    table,
    pageSize: DEFAULT_PAGE_SIZE,
    current: null,
  });
  const mine = state.table === table ? state : { table, pageSize: DEFAULT_PAGE_SIZE, current: null };

  const applyOn = (view: View, columns: Column[], filters: boolean) => {
    const applied = applyView(view, columns, laidOut);
    layout.replace(applied.layout);
    setState({ table, pageSize: applied.pageSize, current: filters ? view.name : null });
    if (filters) onQueryChange(applied.chips, applied.sort);
  };

  // the default view, once per table opened, when both it and the columns are known; a table
  // opened with filters or a sort of its own (a followed link) keeps them and takes the
  // default's layout and page size only
  const opened = useRef<string | null>(null);
  const list = query.data;
  useEffect(() => {
    if (!list || !own || opened.current === table) return;
    opened.current = table;
    const view = list.views.find((v) => v.name === list.default);
    if (view) applyOn(view, own, chips.length === 0 && sort === null);
    // once per table: later changes of the list, the filters or the layout do not re-apply it
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [list, own, table]);

  const store = (next: ViewList) => {
    client.setQueryData(key, next);
    return next;
  };
  const shown = mine.current && list?.views.find((v) => v.name === mine.current);
  return {
    list,
    error: query.error,
    pageSize: mine.pageSize,
    current: shown && own && showsView(shown, own, chips, sort) ? shown.name : null,
    apply: (view) => applyOn(view, own ?? [], true),
    save: async (name, pageSize, overwrite) => {
      const next = store(await api.saveView(table, viewOf(name, chips, sort, layout, pageSize), overwrite));
      setState({ table, pageSize, current: name });
      return next;
    },
    remove: async (name) => store(await api.deleteView(table, name)),
    setDefault: async (name) => store(await api.setDefaultView(table, name)),
  };
}
