// "Remove expired…": one table's expired rows (on its own screen) or all three tables' (on the
// dashboard). The dialog first says how many rows of each it will remove; nothing is removed
// until confirmed; the counts removed stay shown beside the button.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { api, type Permission } from "../../api";
import { useToast } from "../../app/toasts";
import { ActionButton } from "../../components/ActionButton";
import { Confirm } from "../../components/Confirm";
import { formatCount } from "../../lib/format";
import { WORDS, type ExpiringTable } from "./ExpiringScreen";

/** The model name each table's expired count is reported under. */
const MODEL: Record<ExpiringTable, string> = { sessions: "Session", search_cache: "SearchCache", api_tokens: "ApiToken" };
const WHERE: Record<ExpiringTable, string> = {
  sessions: "sessions",
  search_cache: "the search cache",
  api_tokens: "API tokens",
};

export function CleanupExpired({ table }: { table?: ExpiringTable }) {
  const client = useQueryClient();
  const toast = useToast();
  const [asking, setAsking] = useState(false);
  const [removed, setRemoved] = useState<string | null>(null);
  // what it would remove now, counted when the dialog opens
  const summary = useQuery({ queryKey: ["summary"], queryFn: api.summary, enabled: asking });
  const counts = Object.entries(summary.data?.expired ?? {}).filter(([model]) => !table || model === MODEL[table]);
  const total = counts.reduce((sum, [, n]) => sum + n, 0);
  // one table needs what deleting one of its rows needs; all three, an admin
  const permission: Permission = table ? WORDS[table].permission : "manage_sessions";
  const cleanup = useMutation({
    mutationFn: () => api.cleanupExpired({ table: table ?? null }),
    onSuccess: (done) => {
      const text = Object.entries(done)
        .map(([model, n]) => `${formatCount(n)} ${model}`)
        .join(", ");
      setRemoved(`Removed ${text}`);
      toast.ok(`Removed expired rows: ${text}`);
      void client.invalidateQueries({ queryKey: ["rows"] });
      void client.invalidateQueries({ queryKey: ["summary"] });
    },
    onError: toast.error,
  });
  return (
    <>
      <ActionButton
        permission={permission}
        onClick={() => setAsking(true)}
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
      {asking && (
        <Confirm
          title={table ? `Remove expired rows from ${WHERE[table]}` : "Remove expired rows"}
          action={summary.isPending ? "Counting…" : total === 0 ? "Nothing to remove" : `Remove ${formatCount(total)} rows`}
          busy={summary.isPending || total === 0 || cleanup.isPending}
          onCancel={() => setAsking(false)}
          onConfirm={() => cleanup.mutate(undefined, { onSettled: () => setAsking(false) })}
        >
          <p>
            {table
              ? `Expired rows of ${WHERE[table]} only; the other tables keep theirs:`
              : "Expired rows of sessions, the search cache and API tokens alike:"}
          </p>
          <ul data-testid="cleanup-preview">
            {summary.isPending && <li>counting…</li>}
            {counts.map(([model, n]) => (
              <li key={model}>
                {formatCount(n)} {model}
              </li>
            ))}
          </ul>
        </Confirm>
      )}
    </>
  );
}
