// Database health: the database's size, then table by table its size, its indexes', its rows
// and (PostgreSQL) when it was last vacuumed and analyzed; SQLite's page and freelist counts.
// Refresh reads the catalog again; Analyze (an admin's, audited) refreshes the statistics.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Fragment, useState } from "react";

import { api, type DatabaseHealth, type TableHealth } from "../../api";
import { errorText, useToast } from "../../app/toasts";
import { ActionButton } from "../../components/ActionButton";
import { exactBytes, formatBytes, formatCount } from "../../lib/format";
import { formatInstant, useZone, zoneName } from "../../lib/timeZone";
import { lastRun, sortTables, type HealthColumn } from "./health";
import "./HealthScreen.css";

export const healthKeys = { report: ["health", "report"] as const };

function Bytes({ value }: { value: number | null }) {
  if (value === null) return <span className="muted" title="Unavailable on this database">—</span>;
  return <span title={exactBytes(value)}>{formatBytes(value)}</span>;
}

function Count({ value }: { value: number | null }) {
  return value === null ? <span className="muted">—</span> : <>{formatCount(value)}</>;
}

function LastRun({ manual, auto }: { manual: string | null; auto: string | null }) {
  const last = lastRun(manual, auto);
  if (!last) return <span className="muted">never</span>;
  return (
    <span title={`${formatInstant(last.at)}, ${last.auto ? "by autovacuum" : "run by hand"}`}>
      {formatInstant(last.at).slice(0, 16)}
      {last.auto && <span className="auto-mark"> auto</span>}
    </span>
  );
}

function Summary({ h }: { h: DatabaseHealth }) {
  const pages = h.pages;
  return (
    <dl className="health-summary" data-testid="health-summary">
      <div>
        <dt>Database size</dt>
        <dd data-testid="health-database-size">
          <Bytes value={h.database_bytes} />
        </dd>
      </div>
      <div>
        <dt>Tables</dt>
        <dd>{formatCount(h.tables.length)}</dd>
      </div>
      {pages && (
        <>
          <div>
            <dt>Page size</dt>
            <dd title={exactBytes(pages.page_size)}>{formatBytes(pages.page_size)}</dd>
          </div>
          <div>
            <dt>Pages</dt>
            <dd data-testid="health-page-count">{formatCount(pages.page_count)}</dd>
          </div>
          <div>
            <dt>Free pages</dt>
            <dd data-testid="health-freelist" title={exactBytes(pages.freelist_count * pages.page_size)}>
              {formatCount(pages.freelist_count)} ({formatBytes(pages.freelist_count * pages.page_size)})
            </dd>
          </div>
        </>
      )}
    </dl>
  );
}

interface HeaderProps {
  column: HealthColumn;
  label: string;
  sort: { column: HealthColumn; descending: boolean };
  onSort: (column: HealthColumn) => void;
  numeric?: boolean;
}

function SortHeader({ column, label, sort, onSort, numeric }: HeaderProps) {
  const active = sort.column === column;
  return (
    <th
      className={numeric ? "num" : undefined}
      aria-sort={active ? (sort.descending ? "descending" : "ascending") : "none"}
    >
      <button type="button" className="sort" onClick={() => onSort(column)}>
        {label}
        {active ? (sort.descending ? " ▼" : " ▲") : ""}
      </button>
    </th>
  );
}

function TableRow({ t, postgres, open, onToggle }: { t: TableHealth; postgres: boolean; open: boolean; onToggle: () => void }) {
  const total = t.table_bytes === null ? null : t.table_bytes + (t.index_bytes ?? 0);
  return (
    <Fragment>
      <tr data-testid={`health-row-${t.name}`}>
        <td className="name" title={t.name}>
          {t.name}
        </td>
        <td className="num">
          <Bytes value={t.table_bytes} />
        </td>
        <td className="num">
          {t.indexes.length > 0 ? (
            <button
              type="button"
              className="link"
              aria-expanded={open}
              onClick={onToggle}
              title={`${t.indexes.length} index${t.indexes.length === 1 ? "" : "es"}: show each`}
            >
              {open ? "▾" : "▸"} {t.indexes.length} · <Bytes value={t.index_bytes} />
            </button>
          ) : (
            <span className="muted">none</span>
          )}
        </td>
        <td className="num">
          <Bytes value={total} />
        </td>
        <td className="num">
          <Count value={t.live_rows} />
        </td>
        {postgres && (
          <>
            <td className="num">
              <Count value={t.dead_rows} />
            </td>
            <td>
              <LastRun manual={t.last_vacuum} auto={t.last_autovacuum} />
            </td>
            <td>
              <LastRun manual={t.last_analyze} auto={t.last_autoanalyze} />
            </td>
          </>
        )}
      </tr>
      {open &&
        t.indexes.map((i) => (
          <tr key={i.name} className="index-row" data-testid={`health-index-${i.name}`}>
            <td className="name" title={i.name}>
              {i.name}
            </td>
            <td />
            <td className="num">
              <Bytes value={i.bytes} />
            </td>
            <td colSpan={postgres ? 5 : 2} />
          </tr>
        ))}
    </Fragment>
  );
}

export function HealthScreen() {
  useZone(); // times follow the zone setting
  const toast = useToast();
  const client = useQueryClient();
  const report = useQuery({ queryKey: healthKeys.report, queryFn: api.databaseHealth });
  const [sort, setSort] = useState<{ column: HealthColumn; descending: boolean }>({
    column: "total_bytes",
    descending: true,
  });
  const [open, setOpen] = useState<Set<string>>(new Set());
  const analyze = useMutation({
    mutationFn: api.analyzeDatabase,
    onSuccess: (done) => {
      const skipped = done.skipped.length > 0 ? `; ${done.skipped.length} skipped (this login may not analyze them)` : "";
      toast.ok(`Analyzed ${formatCount(done.tables)} tables${skipped}`);
      void client.invalidateQueries({ queryKey: healthKeys.report });
    },
    onError: toast.error,
  });
  const onSort = (column: HealthColumn) =>
    setSort((s) => (s.column === column ? { column, descending: !s.descending } : { column, descending: column !== "name" }));
  const toggle = (name: string) =>
    setOpen((o) => {
      const next = new Set(o);
      if (next.has(name)) next.delete(name);
      else next.add(name);
      return next;
    });

  const toolbar = (
    <div className="health-actions">
      <button type="button" onClick={() => void report.refetch()} disabled={report.isFetching} data-testid="health-refresh">
        {report.isFetching ? "Reading…" : "Refresh"}
      </button>
      <ActionButton
        permission="maintain_database"
        onClick={() => analyze.mutate()}
        disabled={analyze.isPending}
        title="Refresh every table's planner statistics (ANALYZE); recorded in the audit log"
        data-testid="health-analyze"
      >
        {analyze.isPending ? "Analyzing…" : "Analyze"}
      </ActionButton>
    </div>
  );
  if (report.error)
    return (
      <div className="screen health-screen" data-testid="health-screen">
        {toolbar}
        <p className="state-error">{errorText(report.error)}</p>
      </div>
    );
  if (!report.data) return <p className="muted">Loading…</p>;
  const h = report.data;
  const postgres = h.backend === "postgres";
  const head = { sort, onSort };
  return (
    <div className="screen health-screen" data-testid="health-screen">
      <div className="health-top">
        <Summary h={h} />
        {toolbar}
      </div>
      <ul className="health-notes muted" data-testid="health-notes">
        {h.notes.map((n) => (
          <li key={n}>{n}</li>
        ))}
        {postgres && <li>Times are in {zoneName()}.</li>}
      </ul>
      <div className="health-table-wrap">
        <table className="health-table" data-testid="health-tables">
          <thead>
            <tr>
              <SortHeader column="name" label="Table" {...head} />
              <SortHeader column="table_bytes" label="Size" numeric {...head} />
              <SortHeader column="index_bytes" label="Indexes" numeric {...head} />
              <SortHeader column="total_bytes" label="Total" numeric {...head} />
              <SortHeader column="live_rows" label={postgres ? "Live rows" : "Rows"} numeric {...head} />
              {postgres && (
                <>
                  <SortHeader column="dead_rows" label="Dead" numeric {...head} />
                  <th title="Last vacuum, by hand or by autovacuum">Vacuumed</th>
                  <th title="Last analyze, by hand or by autovacuum">Analyzed</th>
                </>
              )}
            </tr>
          </thead>
          <tbody>
            {sortTables(h.tables, sort.column, sort.descending).map((t) => (
              <TableRow key={t.name} t={t} postgres={postgres} open={open.has(t.name)} onToggle={() => toggle(t.name)} />
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
