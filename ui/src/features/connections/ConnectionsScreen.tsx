// Connection profiles: the embedded demo database and the SQLite files and PostgreSQL servers
// added here, each with its operator; the open one is marked. Open switches the window to that
// database; Edit changes a saved profile in the same form. A PostgreSQL password goes to the OS
// keyring, never to the profiles file, and an edit keeps it unless a new one is typed (the
// backend keeps it only for the host, port, user and TLS mode it was saved with). A profile can be
// marked production (a band in its colour, the database's name typed to confirm) and read-only
// (the backend refuses every write on it).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { api, type SaveConnection, type Target, type TlsMode } from "../../api";
import type { Profile } from "../../bindings";
import { errorText, useToast } from "../../app/toasts";
import { PRODUCTION_RED, textOn } from "../../app/protection";
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
  // the form: closed, a new profile (null) or the saved profile being edited
  const [editing, setEditing] = useState<Profile | null | undefined>(undefined);
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
          <li
            key={profile.id}
            className={active ? "card active" : "card"}
            aria-current={active ? "true" : undefined}
            data-testid={`connection-${profile.name}`}
          >
            <div>
              <strong>{profile.name}</strong>{" "}
              {active && (
                <span className="badge" title="The window shows this database" data-testid="connection-active">
                  open
                </span>
              )}{" "}
              {profile.production && (
                <span
                  className="badge"
                  style={{ background: profile.colour ?? PRODUCTION_RED, color: textOn(profile.colour ?? PRODUCTION_RED) }}
                  title="Shown in the header at all times; destructive actions ask for the database's name"
                  data-testid="connection-production"
                >
                  production
                </span>
              )}{" "}
              {profile.read_only && (
                <span className="badge" title="Every write is refused on this connection" data-testid="connection-read-only">
                  read-only
                </span>
              )}
              <div className="muted">{describe(profile.target)}</div>
              <div className="muted">operator: {profile.operator ?? "default"}</div>
            </div>
            <div className="button-row">
              <button onClick={() => open.mutate(profile.id)} disabled={open.isPending} data-testid="connection-open">
                Open
              </button>
              {profile.target.kind !== "embedded" && (
                <button onClick={() => setEditing(profile)} disabled={editing?.id === profile.id} data-testid="connection-edit">
                  Edit…
                </button>
              )}
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
          // the open database is not touched: no name to type, even on production
          typeToConfirm={null}
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
      {editing !== undefined ? (
        <ConnectionForm
          // a fresh form for each profile edited
          key={editing?.id ?? "new"}
          profile={editing}
          active={Boolean(editing && list.data?.some((c) => c.active && c.profile.id === editing.id))}
          onDone={() => {
            setEditing(undefined);
            void client.invalidateQueries({ queryKey: ["connections"] });
          }}
        />
      ) : (
        <button onClick={() => setEditing(null)} data-testid="connection-add">
          Add connection…
        </button>
      )}
    </div>
  );
}

type PostgresTarget = Extract<Target, { kind: "postgres" }>;

/** Whether a saved password still applies: the backend keeps it only for the host, port, user
 *  and TLS mode it was saved with (`Target::same_credentials_as`). */
export function sameCredentials(saved: PostgresTarget, host: string, port: string, user: string, tls: TlsMode): boolean {
  return saved.host === host && saved.port === Number(port) && saved.user === user && saved.tls === tls;
}

function ConnectionForm({ profile, active, onDone }: { profile: Profile | null; active: boolean; onDone: () => void }) {
  const toast = useToast();
  const target = profile?.target;
  const pg = target?.kind === "postgres" ? target : null;
  const [kind, setKind] = useState<"sqlite" | "postgres">(pg ? "postgres" : "sqlite");
  const [name, setName] = useState(profile?.name ?? "");
  const [operator, setOperator] = useState(profile?.operator ?? "");
  const [path, setPath] = useState(target?.kind === "sqlite" ? target.path : "");
  const [host, setHost] = useState(pg?.host ?? "localhost");
  const [port, setPort] = useState(String(pg?.port ?? 5432));
  const [database, setDatabase] = useState(pg?.database ?? "whodis");
  const [user, setUser] = useState(pg?.user ?? "");
  const [tls, setTls] = useState<TlsMode>(pg?.tls ?? "prefer");
  const [password, setPassword] = useState("");
  const [production, setProduction] = useState(profile?.production ?? false);
  const [colour, setColour] = useState(profile?.colour ?? PRODUCTION_RED);
  const [readOnly, setReadOnly] = useState(profile?.read_only ?? false);
  const [tested, setTested] = useState<string | null>(null);
  // editing a PostgreSQL profile: its saved password stays while the server stays the same
  const keeps = pg !== null && sameCredentials(pg, host, port, user, tls);

  const request = (): SaveConnection => ({
    id: profile?.id ?? null,
    name,
    operator: operator || null,
    target:
      kind === "sqlite"
        ? { kind: "sqlite", path }
        : { kind: "postgres", host, port: Number(port), database, user, tls },
    // empty: the backend keeps the saved password (for the same server) instead of replacing it
    password: kind === "postgres" && password ? password : null,
    production,
    colour: production ? colour : null,
    read_only: readOnly,
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
      <h3>{profile ? `Edit ${profile.name}` : "New connection"}</h3>
      {active && <p className="muted">This database is open: the changes apply the next time it is opened.</p>}
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
            <input
              type="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              autoComplete="off"
              placeholder={keeps ? "unchanged" : undefined}
              aria-describedby={pg ? "connection-password-hint" : undefined}
              data-testid="connection-password"
            />
            {pg && (
              <span
                id="connection-password-hint"
                className={keeps || password ? "muted" : "field-error"}
                data-testid="connection-password-hint"
              >
                {keeps
                  ? "Leave empty to keep the saved password."
                  : "The host, port, user or TLS mode changed: type the password again (the saved one is kept only for the server it was saved for; left empty, it is removed)."}
              </span>
            )}
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
      <fieldset className="connection-marks">
        <legend>Protection</legend>
        <label>
          <input
            type="checkbox"
            checked={production}
            onChange={(e) => setProduction(e.target.checked)}
            data-testid="connection-production-mark"
          />{" "}
          Production: a band in this colour in the header, and destructive actions ask for the database&apos;s name
        </label>
        {production && (
          <label>
            Colour{" "}
            <input type="color" value={colour} onChange={(e) => setColour(e.target.value)} data-testid="connection-colour" />
          </label>
        )}
        <label>
          <input
            type="checkbox"
            checked={readOnly}
            onChange={(e) => setReadOnly(e.target.checked)}
            data-testid="connection-read-only-mark"
          />{" "}
          Read-only: every write is refused on this connection, for every operator (applies when it is next opened)
        </label>
      </fieldset>
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
