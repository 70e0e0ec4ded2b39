// The explorer drawer's row actions: masked values revealed on request (recorded), Edit… opening
// an input for each column the table lets us change, by its kind (JSON checked as it is typed),
// Save sending only what changed with the row as read (a row changed meanwhile is refused,
// nothing overwritten), and Delete after a confirmation.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { api, type Row, type TableSummary } from "../../api";
import { errorText, useToast } from "../../app/toasts";
import { ActionButton } from "../../components/ActionButton";
import { Confirm } from "../../components/Confirm";
import { ColumnField, problemOf } from "./ColumnField";
import { editableColumns, keyOf, maskedColumns, parseInput, toInput } from "./rowEditing";

/** A masked value (a secret, a session id shown by its start), shown only when asked: the
 *  reveal is recorded, and the value lives in this component until hidden or closed. */
function MaskedValue({ table, rowKey, column }: { table: string; rowKey: Row; column: string }) {
  const toast = useToast();
  const [value, setValue] = useState<string | null>(null);
  const reveal = useMutation({
    mutationFn: () => api.revealValue({ table, key: rowKey, column }),
    onSuccess: (v) => setValue(v === null ? "(null)" : typeof v === "string" ? v : JSON.stringify(v)),
    onError: toast.error,
  });
  return (
    <div className="explorer-field" data-testid={`masked-${column}`}>
      <span>
        {column} <span className="muted">masked</span>
      </span>
      {value === null ? (
        <ActionButton permission="reveal_secrets" type="button" onClick={() => reveal.mutate()} disabled={reveal.isPending} data-testid={`reveal-${column}`}>
          Reveal (recorded)
        </ActionButton>
      ) : (
        <span className="explorer-revealed">
          <code data-testid={`revealed-${column}`}>{value}</code>
          <button type="button" onClick={() => setValue(null)}>
            Hide
          </button>
        </span>
      )}
    </div>
  );
}

export function RowEditor({ summary, row }: { summary: TableSummary; row: Row }) {
  const client = useQueryClient();
  const toast = useToast();
  // the row as last read: after a save, the saved row (so a second save is not stale)
  const [current, setCurrent] = useState<Row>(row);
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [deleting, setDeleting] = useState(false);
  const [deleted, setDeleted] = useState(false);
  const [editing, setEditing] = useState(false);
  const columns = editableColumns(summary);
  const parsed = Object.fromEntries(
    Object.entries(texts).map(([name, text]) => {
      const column = columns.find((c) => c.name === name);
      return [name, column ? parseInput(column, text) : { ok: false as const, error: "unknown column" }];
    }),
  );
  const invalid = Object.values(parsed).some((p) => !p.ok);
  const refresh = () => void client.invalidateQueries({ queryKey: ["rows"] });
  const save = useMutation({
    mutationFn: () =>
      api.editRow({
        table: summary.name,
        key: keyOf(summary, current),
        expected: current,
        changes: Object.fromEntries(Object.entries(parsed).map(([k, p]) => [k, p.ok ? p.value : null])),
      }),
    onSuccess: (after) => {
      setCurrent({ ...current, ...after });
      setTexts({});
      setEditing(false);
      toast.ok(`Saved ${summary.name} ${Object.values(keyOf(summary, current)).join(", ")}`);
      refresh();
    },
    onError: toast.error,
  });
  const remove = useMutation({
    mutationFn: () => api.deleteRow({ table: summary.name, key: keyOf(summary, current), expected: current }),
    onSuccess: () => {
      setDeleted(true);
      toast.ok(`Deleted ${summary.name} ${Object.values(keyOf(summary, current)).join(", ")}`);
      refresh();
    },
    onError: toast.error,
  });
  if (!summary.primary_key.length) return null;
  if (deleted) return <p className="muted" data-testid="row-deleted">This row was deleted.</p>;
  const masked = maskedColumns(summary);
  const actions = (
    <div className="explorer-editor-actions">
      {!editing && (
        <ActionButton permission="edit_tables" type="button" onClick={() => setEditing(true)} data-testid="row-edit">
          Edit…
        </ActionButton>
      )}
      <ActionButton permission="edit_tables" type="button" className="danger" onClick={() => setDeleting(true)} data-testid="row-delete">
        Delete row…
      </ActionButton>
    </div>
  );
  const confirmDelete = deleting && (
    <Confirm
      title={`Delete a row of ${summary.name}`}
      action="Delete row"
      busy={remove.isPending}
      onCancel={() => setDeleting(false)}
      onConfirm={() => remove.mutate(undefined, { onSettled: () => setDeleting(false) })}
    >
      <p>
        The row {Object.entries(keyOf(summary, current)).map(([k, v]) => `${k} = ${String(v)}`).join(", ")} of {summary.name} will be deleted. A database
        refuses it while other rows still point at it.
      </p>
    </Confirm>
  );
  if (!editing) {
    return (
      <div className="explorer-editor">
        {masked.map((c) => (
          <MaskedValue key={c.name} table={summary.name} rowKey={keyOf(summary, current)} column={c.name} />
        ))}
        {actions}
        {confirmDelete}
      </div>
    );
  }
  return (
    <form
      className="explorer-editor"
      data-testid="row-editor"
      onSubmit={(e) => {
        e.preventDefault();
        if (!invalid && Object.keys(texts).length) save.mutate();
      }}
    >
      <h3>Edit</h3>
      {columns.map((c) => (
        <ColumnField
          key={c.name}
          column={c}
          id={`edit-${summary.name}-${c.name}`}
          text={texts[c.name] ?? toInput(current[c.name])}
          problem={problemOf(parsed[c.name])}
          onChange={(value) => setTexts({ ...texts, [c.name]: value })}
        />
      ))}
      {save.isError && <p className="state-error">{errorText(save.error)}</p>}
      <div className="explorer-editor-actions">
        <ActionButton permission="edit_tables" type="submit" disabled={invalid || !Object.keys(texts).length || save.isPending} data-testid="row-save">
          Save
        </ActionButton>
        <button
          type="button"
          onClick={() => {
            setTexts({});
            setEditing(false);
          }}
          data-testid="row-discard"
        >
          Discard
        </button>
      </div>
    </form>
  );
}
