// Sessions, search cache and API tokens: expiry badges, extend by a day, delete one (terminate,
// revoke), and "remove expired" for this table (the dashboard removes all three tables' at once).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { api, versionOf, type Permission, type Row } from "../../api";
import { useToast } from "../../app/toasts";
import { ActionButton } from "../../components/ActionButton";
import { DataTable } from "../../components/DataTable";
import { Confirm } from "../../components/Confirm";
import type { ScreenQuery } from "../../lib/query";
import { CleanupExpired } from "./CleanupExpired";
import { describeExpiry } from "./expiry";

export type ExpiringTable = "sessions" | "search_cache" | "api_tokens";

/** How each table's rows are named and removed, and what removing one needs (as the backend's rule). */
export const WORDS: Record<ExpiringTable, { noun: string; remove: string; permission: Permission }> = {
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
  const toolbar = <CleanupExpired table={table} />;

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
