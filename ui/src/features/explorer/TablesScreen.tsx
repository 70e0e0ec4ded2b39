// Every table of the open database, WhoDis's own or any other: its row estimate, its
// conventions as badges, its links both ways. A table's name opens its rows in the explorer;
// "Read again" re-reads the catalog after a schema change made while the app was open.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { api } from "../../api";
import "./Explorer.css";
import { errorText, useToast } from "../../app/toasts";
import { formatCount } from "../../lib/format";
import { BADGE_TEXT, BADGE_TITLE, matchTables, tableHref } from "./explorer";

export function TablesScreen() {
  const tables = useQuery({ queryKey: ["explore", "tables"], queryFn: api.exploreTables });
  const [text, setText] = useState("");
  const client = useQueryClient();
  const toast = useToast();
  const reread = useMutation({
    mutationFn: api.rereadTables,
    onSuccess: (fresh) => {
      client.setQueryData(["explore", "tables"], fresh);
      // a table's columns, and so its rows, may have changed with the catalog
      void client.invalidateQueries({ queryKey: ["columns"] });
      void client.invalidateQueries({ queryKey: ["rows"] });
    },
    onError: toast.error,
  });
  if (tables.error) return <p className="error">{errorText(tables.error)}</p>;
  if (!tables.data) return <p className="muted">Reading the catalog…</p>;
  const shown = matchTables(tables.data, text);
  return (
    <section className="explorer-tables" data-testid="explorer-tables">
      <div className="table-toolbar">
        <input
          type="search"
          placeholder="Find a table or column"
          aria-label="Find a table or column"
          value={text}
          onChange={(e) => setText(e.target.value)}
          data-testid="explorer-find"
        />
        <span className="muted">
          {shown.length} of {tables.data.length} tables
        </span>
        <button
          type="button"
          onClick={() => reread.mutate()}
          disabled={reread.isPending}
          title="Read the database's tables and columns again (after a schema change made while the app was open)"
          data-testid="explorer-reread"
        >
          {reread.isPending ? "Reading…" : "Read again"}
        </button>
      </div>
      <table className="plain">
        <thead>
          <tr>
            <th>Table</th>
            <th title="From the planner's statistics or the highest row id">Rows (about)</th>
            <th>Columns</th>
            <th>Key</th>
            <th>Links</th>
            <th>Conventions</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((t) => (
            <tr key={t.name} data-testid={`explorer-table-${t.name}`}>
              <td>
                <a href={tableHref(t.name)}>{t.name}</a>
                {t.whodis_model && <span className="muted"> · WhoDis</span>}
              </td>
              <td className="num">{formatCount(t.row_estimate)}</td>
              <td className="num">{t.columns.length}</td>
              <td>{t.primary_key.length ? t.primary_key.join(", ") : <span className="warn">none</span>}</td>
              <td>
                {t.foreign_keys.map((fk) => (
                  <a key={`to-${fk.columns.join()}`} href={tableHref(fk.ref_table)} title={`${fk.columns.join(", ")} → ${fk.ref_table}`}>
                    → {fk.ref_table}{" "}
                  </a>
                ))}
                {t.referenced_by.map((fk) => (
                  <a key={`from-${fk.table}-${fk.columns.join()}`} href={tableHref(fk.table)} title={`${fk.table}.${fk.columns.join(", ")}`}>
                    ← {fk.table}{" "}
                  </a>
                ))}
              </td>
              <td>
                {t.badges.map((b) => (
                  <span key={b} className="badge" title={BADGE_TITLE[b]}>
                    {BADGE_TEXT[b]}
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
