// "New row…" on an explored table: an input per column (bytes aside); an empty input is left
// out, so the database's default (shown as the placeholder), the store's timestamps or the
// database's numbering apply. Nothing is written until Insert, and bad values are named first.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { api, type TableSummary } from "../../api";
import { errorText, useToast } from "../../app/toasts";
import { ActionButton } from "../../components/ActionButton";
import { Dialog } from "../../components/Dialog";
import { ColumnField, problemOf } from "./ColumnField";
import { insertableColumns, newRowValues, placeholderOf } from "./rowEditing";

export function NewRow({ summary }: { summary: TableSummary }) {
  const client = useQueryClient();
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const [texts, setTexts] = useState<Record<string, string>>({});
  const columns = insertableColumns(summary);
  const { values, problems } = newRowValues(columns, texts);
  const insert = useMutation({
    mutationFn: () => api.insertRow({ table: summary.name, values }),
    onSuccess: (row) => {
      const key = summary.primary_key.map((k) => `${k} = ${String(row[k])}`).join(", ");
      toast.ok(`Inserted into ${summary.name}: ${key}`);
      setOpen(false);
      setTexts({});
      void client.invalidateQueries({ queryKey: ["rows"] });
    },
  });
  const invalid = Object.keys(problems).length > 0;
  return (
    <>
      <ActionButton permission="edit_tables" onClick={() => setOpen(true)} data-testid="new-row">
        New row…
      </ActionButton>
      {open && (
        <Dialog title={`New row in ${summary.name}`} onClose={() => setOpen(false)}>
          <form
            className="explorer-editor explorer-new-row"
            data-testid="new-row-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (!invalid) insert.mutate();
            }}
          >
            {columns.map((c) => (
              <ColumnField
                key={c.name}
                column={c}
                id={`new-${summary.name}-${c.name}`}
                text={texts[c.name] ?? ""}
                placeholder={placeholderOf(summary, c)}
                problem={problemOf(problems[c.name])}
                onChange={(value) => setTexts({ ...texts, [c.name]: value })}
              />
            ))}
            {insert.isError && (
              <p className="state-error" role="alert">
                {errorText(insert.error)}
              </p>
            )}
            <div className="dialog-actions">
              <button type="button" onClick={() => setOpen(false)}>
                Cancel
              </button>
              <button type="submit" disabled={invalid || insert.isPending} data-testid="new-row-insert">
                Insert
              </button>
            </div>
          </form>
        </Dialog>
      )}
    </>
  );
}
