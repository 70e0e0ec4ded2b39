// Edits an employee's Keystone record as JSON. Invalid JSON is reported where it is typed and
// nothing is sent; the save carries the row's updated_at, so a concurrent edit is a conflict.
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";

import { api, versionOf, type Row, type Value } from "../../api";
import { useToast } from "../../app/toasts";
import { ActionButton } from "../../components/ActionButton";

/** The parsed record, or the parse error to show; an empty text clears the record. */
export function parseKeystone(text: string): { value: Value } | { error: string } {
  if (text.trim() === "") return { value: null };
  try {
    const value = JSON.parse(text) as Value;
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      return { error: "the Keystone record is a JSON object ({ … })" };
    }
    return { value };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

export function KeystoneEditor({ row, onDone }: { row: Row; onDone: () => void }) {
  const toast = useToast();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(() => JSON.stringify(row.keystone_data ?? {}, null, 2));
  const parsed = parseKeystone(text);
  const save = useMutation({
    mutationFn: (value: Value) =>
      api.updateProfile({ id: Number(row.id), expected_updated_at: versionOf(row), based_on: row.keystone_data ?? null, keystone_data: value }),
    onSuccess: () => {
      toast.ok("Keystone record saved");
      setEditing(false);
      onDone();
    },
    onError: toast.error,
  });
  if (!editing) {
    return (
      <ActionButton permission="edit_profiles" onClick={() => setEditing(true)} data-testid="keystone-edit">
        Edit Keystone record…
      </ActionButton>
    );
  }
  return (
    <div className="form">
      <textarea
        className="secret"
        rows={12}
        value={text}
        onChange={(e) => setText(e.target.value)}
        spellCheck={false}
        aria-label="Keystone record (JSON)"
        data-testid="keystone-text"
      />
      {"error" in parsed && <p className="danger">Not valid: {parsed.error}</p>}
      <div className="dialog-actions">
        <button onClick={() => setEditing(false)}>Cancel</button>
        <button
          disabled={"error" in parsed || save.isPending}
          onClick={() => "value" in parsed && save.mutate(parsed.value)}
          data-testid="keystone-save"
        >
          Save
        </button>
      </div>
    </div>
  );
}
