// "Remove expired…" for any table with an `expires_at` timestamp. The dialog counts the expired
// rows first and removes nothing until confirmed; the count removed stays beside the button.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { api } from "../../api";
import { errorText, useToast } from "../../app/toasts";
import { ActionButton } from "../../components/ActionButton";
import { Confirm } from "../../components/Confirm";
import { formatCount } from "../../lib/format";

export function RemoveExpiredRows({ table }: { table: string }) {
  const client = useQueryClient();
  const toast = useToast();
  const [asking, setAsking] = useState(false);
  const [removed, setRemoved] = useState<string | null>(null);
  const expired = useQuery({
    queryKey: ["explore", "expired", table],
    queryFn: () => api.countExpiredRows(table),
    enabled: asking,
    gcTime: 0,
  });
  const count = expired.data ?? 0;
  const remove = useMutation({
    mutationFn: () => api.removeExpiredRows(table),
    onSuccess: (done) => {
      const text = `Removed ${formatCount(done.removed)} expired rows from ${done.table}`;
      setRemoved(text);
      toast.ok(text);
      void client.invalidateQueries({ queryKey: ["rows"] });
      void client.invalidateQueries({ queryKey: ["explore"] });
    },
    onError: toast.error,
  });
  return (
    <>
      <ActionButton
        permission="edit_tables"
        onClick={() => setAsking(true)}
        disabled={remove.isPending}
        data-testid="remove-expired"
      >
        Remove expired…
      </ActionButton>
      {removed && (
        <span className="muted" data-testid="remove-expired-result">
          {removed}
        </span>
      )}
      {asking && (
        <Confirm
          title={`Remove expired rows from ${table}`}
          action={expired.isPending ? "Counting…" : count === 0 ? "Nothing to remove" : `Remove ${formatCount(count)} rows`}
          busy={expired.isPending || count === 0 || remove.isPending}
          onCancel={() => setAsking(false)}
          onConfirm={() => remove.mutate(undefined, { onSettled: () => setAsking(false) })}
        >
          <p data-testid="remove-expired-preview">
            {expired.isPending
              ? "Counting…"
              : expired.isError
                ? `Could not count: ${errorText(expired.error)}`
                : `${formatCount(count)} rows of ${table} have an expires_at in the past.`}
          </p>
        </Confirm>
      )}
    </>
  );
}
