// Configuration values: plaintext shown, secrets masked with an audited reveal, edit with the
// choice of encryption, delete; the key panel above. Settings show grouped by category (the
// default) or as the table (filters, sort, columns, drawer, export), the choice kept.
import { useEffect, useState, type FormEvent } from "react";

import { api, versionOf, type Protection, type Row } from "../../api";
import { usePermission } from "../../app/session";
import { useToast } from "../../app/toasts";
import { ActionButton } from "../../components/ActionButton";
import { DataTable } from "../../components/DataTable";
import { Dialog } from "../../components/Dialog";
import { formatCell } from "../../lib/format";
import type { ScreenQuery } from "../../lib/query";
import { copyForAWhile } from "./clipboard";
import { ConfigGroups } from "./ConfigGroups";
import { KeyPanel } from "./KeyPanel";
import { pathOf, useConfigMutations } from "./useConfigMutations";

const LEADING = ["category", "key", "value_plaintext", "is_encrypted", "value_masked"];

type Props = ScreenQuery;

/** How long a revealed secret stays on screen, and on the clipboard after Copy. */
export const REVEAL_SECONDS = 30;

/** A masked value with a Reveal button. The revealed value lives only in this cell's state and
 *  hides again after REVEAL_SECONDS or when the cell goes (another screen, scrolled away); Copy
 *  puts it on the clipboard and takes it off again after the same time, if it is still there. */
export function SecretCell({ row }: { row: Row }) {
  const reveal = usePermission("reveal_secrets");
  const toast = useToast();
  const [value, setValue] = useState<string | null>(null);
  const [left, setLeft] = useState(REVEAL_SECONDS);
  useEffect(() => {
    if (value === null) return;
    setLeft(REVEAL_SECONDS);
    const started = Date.now();
    const tick = setInterval(() => {
      const rest = REVEAL_SECONDS - Math.floor((Date.now() - started) / 1000);
      if (rest <= 0) setValue(null);
      else setLeft(rest);
    }, 1000);
    return () => clearInterval(tick);
  }, [value]);
  if (value !== null) {
    const copy = () =>
      copyForAWhile(value, REVEAL_SECONDS).then(
        () => toast.ok(`Copied; taken off the clipboard in ${REVEAL_SECONDS} s`),
        toast.error,
      );
    return (
      <span className="revealed">
        <code data-testid={`revealed-${pathOf(row)}`}>{value}</code>{" "}
        <button onClick={() => void copy()} data-testid={`copy-${pathOf(row)}`}>
          Copy
        </button>{" "}
        <button onClick={() => setValue(null)} title={`Hides by itself in ${left} s`}>
          Hide ({left})
        </button>
      </span>
    );
  }
  return (
    <span>
      <button
        disabled={!reveal.allowed}
        title={reveal.allowed ? "Show the value (recorded in the audit log)" : reveal.reason}
        data-testid={`reveal-${pathOf(row)}`}
        onClick={() =>
          api.configReveal(pathOf(row)).then((r) => setValue(r.value ?? ""), toast.error)
        }
      >
        Reveal
      </button>{" "}
      •••••••
    </span>
  );
}

type View = "groups" | "table";
const VIEW_KEY = "whodis.configView";

function storedView(): View {
  try {
    return localStorage.getItem(VIEW_KEY) === "table" ? "table" : "groups";
  } catch {
    return "groups";
  }
}

export function ConfigScreen({ chips, sort, onQueryChange }: Props) {
  const { save, remove, protect } = useConfigMutations();
  const [decrypting, setDecrypting] = useState<Row | null>(null);
  const [editing, setEditing] = useState<Row | "new" | null>(null);
  const [deleting, setDeleting] = useState<Row | null>(null);
  const [view, setView] = useState<View>(storedView);
  const choose = (next: View) => {
    setView(next);
    try {
      localStorage.setItem(VIEW_KEY, next);
    } catch {
      // storage refused: the choice lasts while the screen is open
    }
  };

  // the same toolbar and actions in both views
  const toolbar = (
    <>
      <span className="segmented" role="group" aria-label="Show settings">
        <button aria-pressed={view === "groups"} onClick={() => choose("groups")} data-testid="config-view-groups">
          By category
        </button>
        <button aria-pressed={view === "table"} onClick={() => choose("table")} data-testid="config-view-table">
          Table
        </button>
      </span>
      <ActionButton permission="manage_config" onClick={() => setEditing("new")} data-testid="config-add">
        Add setting
      </ActionButton>
    </>
  );
  const actions = (row: Row) => (
    <>
      <ActionButton permission="manage_config" onClick={() => setEditing(row)} data-testid={`config-edit-${pathOf(row)}`}>
        Edit
      </ActionButton>
      {row.is_encrypted === true ? (
        <ActionButton permission="manage_config" onClick={() => setDecrypting(row)} title="Store as plaintext">
          Decrypt
        </ActionButton>
      ) : (
        <ActionButton
          permission="manage_config"
          onClick={() => protect.mutate({ row, encrypt: true })}
          title="Encrypt in place"
          data-testid={`config-encrypt-${pathOf(row)}`}
        >
          Encrypt
        </ActionButton>
      )}
      <ActionButton permission="manage_config" className="danger" onClick={() => setDeleting(row)}>
        Delete
      </ActionButton>
    </>
  );

  return (
    <div className="config-screen">
      <KeyPanel />
      {view === "groups" ? (
        <ConfigGroups
          chips={chips}
          onClearFilters={() => onQueryChange([], sort)}
          toolbar={toolbar}
          renderValue={(row) => (row.value_masked === true ? <SecretCell row={row} /> : formatCell(row.value_plaintext))}
          actions={actions}
        />
      ) : (
        <DataTable
          table="configuration"
          chips={chips}
          sort={sort}
          onQueryChange={onQueryChange}
          leading={LEADING}
          actionsWidth={230}
          toolbar={toolbar}
          renderCell={(column, row) =>
            column === "value_plaintext" && row.value_masked === true ? <SecretCell row={row} /> : undefined
          }
          actions={actions}
        />
      )}
      {editing && (
        <EditDialog
          row={editing === "new" ? null : editing}
          busy={save.isPending}
          onCancel={() => setEditing(null)}
          onSave={(req) => save.mutate(req, { onSuccess: () => setEditing(null) })}
        />
      )}
      {decrypting && (
        <Dialog title="Store as plaintext" onClose={() => setDecrypting(null)}>
          <p>
            Decrypt <code>{pathOf(decrypting)}</code> and store it as plaintext? Anyone who can read the database can
            then read it. The change is recorded in the audit log.
          </p>
          <div className="dialog-actions">
            <button onClick={() => setDecrypting(null)}>Cancel</button>
            <button
              className="danger"
              onClick={() => protect.mutate({ row: decrypting, encrypt: false }, { onSettled: () => setDecrypting(null) })}
            >
              Decrypt
            </button>
          </div>
        </Dialog>
      )}
      {deleting && (
        <Dialog title="Delete setting" onClose={() => setDeleting(null)}>
          <p>
            Delete <code>{pathOf(deleting)}</code>? The change is recorded in the audit log.
          </p>
          <div className="dialog-actions">
            <button onClick={() => setDeleting(null)}>Cancel</button>
            <button className="danger" onClick={() => remove.mutate(deleting, { onSettled: () => setDeleting(null) })}>
              Delete
            </button>
          </div>
        </Dialog>
      )}
    </div>
  );
}

interface EditProps {
  row: Row | null;
  busy: boolean;
  onCancel: () => void;
  onSave: (req: { path: string; value: string; protection: Protection; expected_updated_at: string | null }) => void;
}

function EditDialog({ row, busy, onCancel, onSave }: EditProps) {
  const masked = row?.value_masked === true;
  const [path, setPath] = useState(row ? pathOf(row) : "");
  // a secret is never pre-filled: replacing it means typing the new value
  const [value, setValue] = useState(row && !masked ? String(row.value_plaintext ?? "") : "");
  const [protection, setProtection] = useState<Protection>(row?.is_encrypted === true ? "encrypt" : "auto");
  function submit(e: FormEvent) {
    e.preventDefault();
    onSave({ path: path.trim(), value, protection, expected_updated_at: row ? versionOf(row) : null });
  }
  return (
    <Dialog title={row ? `Edit ${pathOf(row)}` : "Add setting"} onClose={onCancel}>
      <form onSubmit={submit} className="form">
        <label>
          Setting (category.key)
          <input value={path} onChange={(e) => setPath(e.target.value)} disabled={row !== null} required data-testid="config-path" />
        </label>
        <label>
          Value{masked && " (the current value stays hidden; type the new one)"}
          <input
            type={masked || protection === "encrypt" ? "password" : "text"}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            autoComplete="off"
            data-testid="config-value"
          />
        </label>
        <label>
          Storage
          <select value={protection} onChange={(e) => setProtection(e.target.value as Protection)} data-testid="config-protection">
            <option value="auto">encrypt if the name looks secret</option>
            <option value="encrypt">always encrypt</option>
            <option value="plain">plaintext</option>
          </select>
        </label>
        <div className="dialog-actions">
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" disabled={busy} data-testid="config-save">
            Save
          </button>
        </div>
      </form>
    </Dialog>
  );
}
