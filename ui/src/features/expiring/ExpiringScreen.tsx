// Sessions, search cache and API tokens: expiry badges, extend by a day, delete one (terminate,
// revoke), and "remove expired" — in every one of the three tables, so it first says how many rows
// of each it will remove — with the counts it removed.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { api, versionOf, type Permission, type Row } from "../../api";
import { useToast } from "../../app/toasts";
import { ActionButton } from "../../components/ActionButton";
import { DataTable } from "../../components/DataTable";
import { Confirm } from "../../components/Confirm";
import { Dialog } from "../../components/Dialog";
import { formatCount } from "../../lib/format";
import type { ScreenQuery } from "../../lib/query";
import { describeExpiry } from "./expiry";

export type ExpiringTable = "sessions" | "search_cache" | "api_tokens";

const WORDS: Record<ExpiringTable, { noun: string; remove: string; permission: Permission }> = {
  sessions: { noun: "session", remove: "Terminate", permission: "manage_sessions" },
  search_cache: { noun: "cache entry", remove: "Delete", permission: "manage_cache" },
  api_tokens: { noun: "API token", remove: "Revoke", permission: "manage_sessions" },
};
const DAY = 86_400;

interface Props extends ScreenQuery {
  table: ExpiringTable;
}

export function ExpiringScreen({ table, chips, sort, onQueryChange }: Props) {
  const client = useQueryClient();
  const toast = useToast();
  const words = WORDS[table];
  const [removing, setRemoving] = useState<Row | null>(null);
  const [removed, setRemoved] = useState<string | null>(null);
  const [confirmCleanup, setConfirmCleanup] = useState(false);
  // what "remove expired" would remove now, shown before it runs
  const summary = useQuery({ queryKey: ["summary"], queryFn: api.summary, enabled: confirmCleanup });
  const expired = Object.entries(summary.data?.expired ?? {});
  const expiredTotal = expired.reduce((sum, [, n]) => sum + n, 0);
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ["rows"] });
    void client.invalidateQueries({ queryKey: ["summary"] });
  };
  const extend = useMutation({
    mutationFn: (row: Row) =>
      api.extendExpiration({ table, id: Number(row.id), expected_updated_at: versionOf(row), seconds: DAY }),
    onSuccess: () => {
      toast.ok(`Extended the ${words.noun} by a day`);
      refresh();
    },
    onError: (e) => {
      toast.error(e);
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (row: Row) =>
      api.deleteExpiring({ table, id: Number(row.id), expected_updated_at: versionOf(row) }),
    onSuccess: () => {
      toast.ok(`${words.remove}d the ${words.noun}`);
      refresh();
    },
    onError: toast.error,
  });
  const cleanup = useMutation({
    mutationFn: api.cleanupExpired,
    onSuccess: (counts) => {
      const text = Object.entries(counts)
        .map(([model, n]) => `${formatCount(n)} ${model}`)
        .join(", ");
      setRemoved(`Removed ${text}`);
      toast.ok(`Removed expired rows: ${text}`);
      refresh();
    },
    onError: toast.error,
  });

  const toolbar = (
    <>
      <ActionButton
        permission="manage_sessions"
        onClick={() => setConfirmCleanup(true)}
        disabled={cleanup.isPending}
        data-testid="cleanup-expired"
      >
        Remove expired…
      </ActionButton>
      {removed && (
        <span className="muted" data-testid="cleanup-result">
          {removed}
        </span>
      )}
    </>
  );

  return (
    <>
      <DataTable
        table={table}
        chips={chips}
        sort={sort}
        onQueryChange={onQueryChange}
        toolbar={toolbar}
        leading={["expires_at"]}
        actionsWidth={190}
        renderCell={(column, row) => {
          if (column === "expires_at") {
            const { expired, text } = describeExpiry(String(row.expires_at));
            return <span className={expired ? "badge badge-expired" : "badge"}>{text}</span>;
          }
          return undefined;
        }}
        actions={(row) => (
          <>
            <ActionButton
              permission={words.permission}
              onClick={() => extend.mutate(row)}
              title="Extend by a day"
              data-testid={`extend-${String(row.id)}`}
            >
              +1 day
            </ActionButton>
            <ActionButton permission={words.permission} className="danger" onClick={() => setRemoving(row)}>
              {words.remove}
            </ActionButton>
          </>
        )}
      />
      {confirmCleanup && (
        <Dialog title="Remove expired rows" onClose={() => setConfirmCleanup(false)}>
          <p>Expired rows are removed from sessions, the search cache and API tokens alike:</p>
          <ul data-testid="cleanup-preview">
            {summary.isPending && <li>counting…</li>}
            {expired.map(([model, n]) => (
              <li key={model}>
                {formatCount(n)} {model}
              </li>
            ))}
          </ul>
          <div className="dialog-actions">
            <button onClick={() => setConfirmCleanup(false)}>Cancel</button>
            <button
              className="danger"
              disabled={summary.isPending || expiredTotal === 0}
              data-testid="cleanup-confirm"
              onClick={() => cleanup.mutate(undefined, { onSettled: () => setConfirmCleanup(false) })}
            >
              {expiredTotal === 0 && !summary.isPending ? "Nothing to remove" : `Remove ${formatCount(expiredTotal)} rows`}
            </button>
          </div>
        </Dialog>
      )}
      {removing && (
        <Confirm
          title={`${words.remove} ${words.noun}`}
          action={words.remove}
          busy={remove.isPending}
          onCancel={() => setRemoving(null)}
          onConfirm={() => remove.mutate(removing, { onSettled: () => setRemoving(null) })}
        >
          <p>
            {words.remove} this {words.noun} (#{String(removing.id)})? The change is recorded in the audit log.
          </p>
        </Confirm>
      )}
    </>
  );
}
