// The database's encryption key: fingerprint and health, create, export (shown once), import,
// rotate (with progress and cancel), and the format new values are written in.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { api, type KeyStatus, type RotateProgress } from "../../api";
import { useTypedConfirmation } from "../../app/protection";
import { usePermission } from "../../app/session";
import { errorText, useToast } from "../../app/toasts";
import { ActionButton } from "../../components/ActionButton";
import { TypedConfirmation } from "../../components/Confirm";
import { Dialog } from "../../components/Dialog";
import { confirmationMatches } from "../../lib/typedConfirm";
import { copyText } from "./clipboard";

function Health({ status }: { status: KeyStatus }) {
  const broken = status.encrypted_values - status.decryptable;
  return (
    <p data-testid="key-health">
      {status.encrypted_values === 0
        ? "No encrypted values yet."
        : `${status.decryptable} of ${status.encrypted_values} encrypted values decrypt with the stored keys.`}
      {broken > 0 && (
        <span className="danger"> Not readable: {status.undecryptable.join(", ")}.</span>
      )}
    </p>
  );
}

export function KeyPanel() {
  const client = useQueryClient();
  const toast = useToast();
  const status = useQuery({ queryKey: ["key-status"], queryFn: api.keyStatus });
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ["key-status"] });
    void client.invalidateQueries({ queryKey: ["rows", "configuration"] });
  };
  const [dialog, setDialog] = useState<null | "export" | "import" | "server-key" | "rotate">(null);
  const init = useMutation({
    mutationFn: api.keyInit,
    onSuccess: (s) => {
      toast.ok(`Created the key ${s.fingerprint ?? ""}`);
      refresh();
    },
    onError: toast.error,
  });
  const format = useMutation({
    mutationFn: api.setWriteFormat,
    onSuccess: (f) => {
      toast.ok(`New encrypted values will be written as ${f}`);
      refresh();
    },
    onError: toast.error,
  });
  const manage = usePermission("manage_keys");

  if (status.error) {
    return (
      <section className="card key-panel" data-testid="key-panel">
        <h3>Encryption key</h3>
        <p className="state-error">{errorText(status.error)}</p>
      </section>
    );
  }
  const s = status.data;
  return (
    <section className="card key-panel" data-testid="key-panel">
      <h3>Encryption key</h3>
      {!s ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <p>
            Fingerprint: <code data-testid="key-fingerprint">{s.fingerprint ?? "no key stored"}</code>
            {s.fernet_fingerprint && (
              <>
                {" "}
                · server Fernet key <code>{s.fernet_fingerprint}</code>
              </>
            )}
            {s.chain_fingerprint && (
              <>
                {" "}
                · audit chain key <code data-testid="chain-fingerprint">{s.chain_fingerprint}</code>
              </>
            )}
            <span className="muted"> (keyring entry {s.entry})</span>
          </p>
          <Health status={s} />
        </>
      )}
      <div className="button-row">
        {s && !s.fingerprint && (
          <ActionButton permission="manage_keys" onClick={() => init.mutate()} data-testid="key-init">
            Create key
          </ActionButton>
        )}
        <ActionButton permission="manage_keys" disabled={!s?.fingerprint} onClick={() => setDialog("export")}>
          Export…
        </ActionButton>
        <ActionButton permission="manage_keys" onClick={() => setDialog("import")}>
          Import…
        </ActionButton>
        <ActionButton permission="manage_keys" onClick={() => setDialog("server-key")} data-testid="server-key-open">
          Import the server's key…
        </ActionButton>
        <ActionButton
          permission="manage_keys"
          disabled={!s?.fingerprint}
          onClick={() => setDialog("rotate")}
          data-testid="key-rotate"
        >
          Rotate…
        </ActionButton>
        <label title={manage.allowed ? "The format new encrypted values are written in" : manage.reason}>
          Write new values as{" "}
          <select
            value={s?.write_format ?? "envelope"}
            data-testid="write-format"
            disabled={!manage.allowed || format.isPending}
            onChange={(e) => format.mutate(e.target.value === "fernet" ? "fernet" : "envelope")}
          >
            <option value="envelope">AES-256-GCM envelope</option>
            <option value="fernet">Fernet (readable by the server)</option>
          </select>
        </label>
      </div>
      {s && <FormatNote status={s} />}
      {dialog === "export" && <ExportDialog onClose={() => setDialog(null)} />}
      {dialog === "import" && <ImportDialog onClose={() => setDialog(null)} onDone={refresh} />}
      {dialog === "server-key" && <ServerKeyDialog onClose={() => setDialog(null)} onDone={refresh} />}
      {dialog === "rotate" && s && <RotateDialog status={s} onClose={() => setDialog(null)} onDone={refresh} />}
    </section>
  );
}

/** Whether the WhoDis server can read what is written now, said next to the format. */
function FormatNote({ status }: { status: KeyStatus }) {
  if (status.write_format === "fernet") {
    return (
      <p className="muted" data-testid="format-note">
        New secrets are written as Fernet tokens under the server's key, which the WhoDis server reads.
        {!status.fernet_fingerprint && " Import the server's key first: without it no secret can be written."} To
        rotate the server's key: <code>whodis-admin key rotate --fernet</code> (then give the server the new key).
      </p>
    );
  }
  return (
    <p className={status.fernet_fingerprint ? "warning" : "muted"} data-testid="format-note">
      New secrets are written as AES-256-GCM envelopes, which only whodis-admin reads
      {status.fernet_fingerprint ? ": the WhoDis server cannot read them." : "."}
    </p>
  );
}

/** The server's raw WHODIS_ENCRYPTION_KEY, pasted once, checked against its values, kept in the
 *  keyring and never shown back. */
function ServerKeyDialog({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const toast = useToast();
  const [text, setText] = useState("");
  const importKey = useMutation({
    mutationFn: () => api.keyImport(text.trim()),
    onSuccess: (s) => {
      setText("");
      toast.ok(`Imported the server's key; ${s.decryptable} of ${s.encrypted_values} values decrypt`);
      onDone();
      onClose();
    },
    onError: toast.error,
  });
  return (
    <Dialog title="Import the server's key" onClose={onClose}>
      <p>
        Paste the WhoDis server's <code>WHODIS_ENCRYPTION_KEY</code> (44 characters). It is checked against the
        server's encrypted values, then kept in this computer's keyring; it is never shown again.
      </p>
      <input
        type="password"
        className="secret"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && text.trim()) importKey.mutate();
        }}
        aria-label="Server key"
        autoComplete="off"
        spellCheck={false}
        data-testid="server-key-input"
      />
      <div className="dialog-actions">
        <button onClick={onClose}>Cancel</button>
        <button
          onClick={() => importKey.mutate()}
          disabled={!text.trim() || importKey.isPending}
          data-testid="server-key-import"
        >
          Import
        </button>
      </div>
    </Dialog>
  );
}

function ExportDialog({ onClose }: { onClose: () => void }) {
  const toast = useToast();
  const [which, setWhich] = useState<"data" | "fernet" | "chain">("data");
  const [shown, setShown] = useState<string | null>(null);
  const exportKey = useMutation({
    mutationFn: () => (which === "chain" ? api.chainKeyExport() : api.keyExport(which === "fernet")),
    onSuccess: (r) => setShown(r.value ?? null),
    onError: toast.error,
  });
  return (
    <Dialog title="Export the key" onClose={onClose}>
      {shown === null ? (
        <>
          <p>
            The recovery string <strong>is the key</strong>: anyone holding it and the database can read every
            encrypted value. It is shown once, and the export is recorded in the audit log.
          </p>
          <label>
            Key{" "}
            <select value={which} onChange={(e) => setWhich(e.target.value as typeof which)} data-testid="key-export-which">
              <option value="data">the data key (this app's encrypted values)</option>
              <option value="fernet">the server's Fernet key</option>
              <option value="chain">the audit chain key (seals the audit log)</option>
            </select>
          </label>
          <div className="dialog-actions">
            <button onClick={onClose}>Cancel</button>
            <button onClick={() => exportKey.mutate()} disabled={exportKey.isPending} data-testid="key-export-confirm">
              Show recovery string
            </button>
          </div>
        </>
      ) : (
        <>
          <textarea readOnly className="secret" value={shown} rows={3} data-testid="recovery-string" />
          <p className="muted">Store it in a password manager, never in chat or e-mail. Closing this hides it.</p>
          <div className="dialog-actions">
            <button onClick={() => copyText(shown).then(() => toast.ok("Copied"), toast.error)}>Copy</button>
            <button onClick={onClose}>Done</button>
          </div>
        </>
      )}
    </Dialog>
  );
}

function ImportDialog({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const toast = useToast();
  const [text, setText] = useState("");
  const importKey = useMutation({
    mutationFn: () => api.keyImport(text.trim()),
    onSuccess: (s) => {
      toast.ok(`Imported; ${s.decryptable} of ${s.encrypted_values} values decrypt`);
      onDone();
      onClose();
    },
    onError: toast.error,
  });
  return (
    <Dialog title="Import a key" onClose={onClose}>
      <p>
        Paste a recovery string (<code>whodis-key1-…</code>). It is stored in this computer's keyring only if it
        decrypts this database's values.
      </p>
      <textarea
        className="secret"
        rows={3}
        value={text}
        onChange={(e) => setText(e.target.value)}
        aria-label="Recovery string"
        autoComplete="off"
        spellCheck={false}
      />
      <div className="dialog-actions">
        <button onClick={onClose}>Cancel</button>
        <button onClick={() => importKey.mutate()} disabled={!text.trim() || importKey.isPending}>
          Import
        </button>
      </div>
    </Dialog>
  );
}

function RotateDialog(props: { status: KeyStatus; onClose: () => void; onDone: () => void }) {
  const toast = useToast();
  const [progress, setProgress] = useState<RotateProgress | null>(null);
  // on a production connection, the database's name typed first (as every Confirm asks)
  const expected = useTypedConfirmation();
  const [typed, setTyped] = useState("");
  const rotate = useMutation({
    mutationFn: () => api.keyRotate(setProgress),
    onSuccess: (r) => {
      toast.ok(`Rotated: ${r.reencrypted} values re-encrypted; new key ${r.new_fingerprint}`);
      props.onDone();
      props.onClose();
    },
    onError: (e) => {
      toast.error(e);
      setProgress(null);
    },
  });
  const running = rotate.isPending;
  return (
    <Dialog title="Rotate the key" onClose={running ? () => {} : props.onClose}>
      <p>
        A new key is created and all {props.status.encrypted_values} encrypted values are re-encrypted with it in one
        transaction. If anything fails or you cancel, nothing changes and the current key stays. The current key is
        kept in the keyring as a backup; other computers need the new key (export it afterwards).
      </p>
      {expected !== null && !running && <TypedConfirmation expected={expected} typed={typed} onType={setTyped} />}
      {running && (
        <progress
          max={progress?.total || 1}
          value={progress?.done ?? 0}
          aria-label="Re-encrypting"
          data-testid="rotate-progress"
        />
      )}
      <div className="dialog-actions">
        {running ? (
          <button onClick={() => void api.keyRotateCancel()}>Cancel rotation</button>
        ) : (
          <button onClick={props.onClose}>Cancel</button>
        )}
        <button
          className="danger"
          onClick={() => rotate.mutate()}
          disabled={running || (expected !== null && !confirmationMatches(expected, typed))}
          data-testid="rotate-confirm"
        >
          Rotate now
        </button>
      </div>
    </Dialog>
  );
}
