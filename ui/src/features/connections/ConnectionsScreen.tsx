// Connection profiles: the embedded demo database and the SQLite files and PostgreSQL servers
// added here, each with its operator. Open switches the window to that database; a PostgreSQL
// password goes to the OS keyring, never to the profiles file.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { api, type SaveConnection, type Target, type TlsMode } from "../../api";
import type { Profile } from "../../bindings";
import { errorText, useToast } from "../../app/toasts";
import { Confirm } from "../../components/Confirm";

function describe(target: Target): string {
  switch (target.kind) {
    case "embedded":
      return "embedded SQLite, demo data";
    case "sqlite":
      return `SQLite ${target.path}`;
    case "postgres":
      return `PostgreSQL ${target.user}@${target.host}:${target.port}/${target.database} (TLS ${target.tls})`;
  }
}

export function ConnectionsScreen({ onOpened }: { onOpened: () => void }) {
  const client = useQueryClient();
  const toast = useToast();
  const list = useQuery({ queryKey: ["connections"], queryFn: api.listConnections });
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<Profile | null>(null);
  const open = useMutation({
    mutationFn: api.openConnection,
    onSuccess: (info) => {
      toast.ok(`Opened ${info.database} as ${info.operator.email}`);
      // everything cached belongs to the previous database
      void client.resetQueries();
      onOpened();
    },
    onError: toast.error,
  });
  const remove = useMutation({
    mutationFn: api.removeConnection,
    onSuccess: () => void client.invalidateQueries({ queryKey: ["connections"] }),
    onError: toast.error,
  });
  if (list.error) return <p className="state state-error">{errorText(list.error)}</p>;
  return (
    <div className="connections" data-testid="connections">
      <ul className="connection-list">
        {(list.data ?? []).map(({ profile, active }) => (
          <li key={profile.id} className={active ? "card active" : "card"} data-testid={`connection-${profile.name}`}>
            <div>
              <strong>{profile.name}</strong> {active && <span className="badge">open</span>}
              <div className="muted">{describe(profile.target)}</div>
              <div className="muted">operator: {profile.operator ?? "default"}</div>
            </div>
            <div className="button-row">
              <button onClick={() => open.mutate(profile.id)} disabled={open.isPending} data-testid="connection-open">
                Open
              </button>
              {profile.target.kind !== "embedded" && !active && (
                <button className="danger" onClick={() => setRemoving(profile)} data-testid="connection-remove">
                  Remove…
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
      {removing && (
        <Confirm
          title="Remove connection"
          action="Remove connection"
          busy={remove.isPending}
          onCancel={() => setRemoving(null)}
          onConfirm={() => remove.mutate(removing.id, { onSettled: () => setRemoving(null) })}
        >
          <p>
            Remove the saved connection <strong>{removing.name}</strong> ({describe(removing.target)})?
            {removing.target.kind === "postgres" && " Its saved password is deleted from the OS keyring."} The database
            itself is not touched.
          </p>
        </Confirm>
      )}
      {adding ? (
        <AddConnection
          onDone={() => {
            setAdding(false);
            void client.invalidateQueries({ queryKey: ["connections"] });
          }}
        />
      ) : (
        <button onClick={() => setAdding(true)} data-testid="connection-add">
          Add connection…
        </button>
      )}
    </div>
  );
}

function AddConnection({ onDone }: { onDone: () => void }) {
  const toast = useToast();
  const [kind, setKind] = useState<"sqlite" | "postgres">("sqlite");
  const [name, setName] = useState("");
  const [operator, setOperator] = useState("");
  const [path, setPath] = useState("");
  const [host, setHost] = useState("localhost");
  const [port, setPort] = useState("5432");
  const [database, setDatabase] = useState("whodis");
  const [user, setUser] = useState("");
  const [tls, setTls] = useState<TlsMode>("prefer");
  const [password, setPassword] = useState("");
  const [tested, setTested] = useState<string | null>(null);

  const request = (): SaveConnection => ({
    name,
    operator: operator || null,
    target:
      kind === "sqlite"
        ? { kind: "sqlite", path }
        : { kind: "postgres", host, port: Number(port), database, user, tls },
    password: kind === "postgres" && password ? password : null,
  });
  const test = useMutation({
    mutationFn: () => api.testConnection(request()),
    onSuccess: (t) =>
      setTested(
        t.origin.kind === "foreign"
          ? `Connected to ${t.database}: made by another program${t.origin.migration_table ? ` (${t.origin.migration_table})` : ""}; it opens as it is and is never migrated`
          : `Connected to ${t.database}: schema v${t.schema_version} (this app knows v${t.latest_version})`,
      ),
    onError: (e) => setTested(`Failed: ${errorText(e)}`),
  });
  const save = useMutation({
    mutationFn: () => api.saveConnection(request()),
    onSuccess: (p) => {
      toast.ok(`Saved ${p.name}`);
      onDone();
    },
    onError: toast.error,
  });
  async function browse() {
    try {
      const chosen = await api.chooseSqliteFile();
      if (chosen) setPath(chosen);
    } catch (e) {
      toast.error(e);
    }
  }
  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate();
  }
  return (
    <form className="card form" onSubmit={submit} data-testid="connection-form">
      <label>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} required data-testid="connection-name" />
      </label>
      <div className="segmented" role="group" aria-label="Database kind">
        {(["sqlite", "postgres"] as const).map((k) => (
          <button type="button" key={k} aria-pressed={kind === k} onClick={() => setKind(k)}>
            {k === "sqlite" ? "SQLite file" : "PostgreSQL"}
          </button>
        ))}
      </div>
      {kind === "sqlite" ? (
        <label>
          File
          <span className="button-row">
            <input value={path} onChange={(e) => setPath(e.target.value)} required data-testid="connection-path" />
            <button type="button" onClick={() => void browse()} data-testid="connection-browse">
              Browse…
            </button>
          </span>
        </label>
      ) : (
        <>
          <label>
            Host <input value={host} onChange={(e) => setHost(e.target.value)} required />
          </label>
          <label>
            Port <input value={port} onChange={(e) => setPort(e.target.value)} inputMode="numeric" required />
          </label>
          <label>
            Database <input value={database} onChange={(e) => setDatabase(e.target.value)} required />
          </label>
          <label>
            User <input value={user} onChange={(e) => setUser(e.target.value)} required />
          </label>
          <label>
            Password (kept in the OS keyring)
            <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="off" />
          </label>
          <label>
            TLS
            <select value={tls} onChange={(e) => setTls(e.target.value as TlsMode)}>
              <option value="disable">disable</option>
              <option value="prefer">prefer</option>
              <option value="require">require</option>
              <option value="verify-full">verify-full</option>
            </select>
          </label>
        </>
      )}
      <label>
        Operator (an email in that database's users)
        <input type="email" value={operator} onChange={(e) => setOperator(e.target.value)} data-testid="connection-operator" />
      </label>
      {tested && <p className={tested.startsWith("Failed") ? "danger" : "muted"} data-testid="connection-test-result">{tested}</p>}
      <div className="dialog-actions">
        <button type="button" onClick={onDone}>
          Cancel
        </button>
        <button type="button" onClick={() => test.mutate()} disabled={test.isPending} data-testid="connection-test">
          Test
        </button>
        <button type="submit" disabled={save.isPending} data-testid="connection-save">
          Save
        </button>
      </div>
    </form>
  );
}
