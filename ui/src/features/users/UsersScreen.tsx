// Users and their roles: filter by role, email and activity, add, change a role inline (at
// once, with Undo) and delete (confirmed: it cannot be undone); each user links to their audit
// trail, their sessions and their employee profile. Each row shows the user's last session
// activity, last audit event and whether either is within N days (computed by the backend).
import { useState, type FormEvent } from "react";

import { AppError, type Role, type Row } from "../../api";
import { linksOf } from "../../app/links";
import { useProductionGate } from "../../app/productionGate";
import { usePermission, useSession } from "../../app/session";
import { ActionButton } from "../../components/ActionButton";
import { Confirm } from "../../components/Confirm";
import { DataTable } from "../../components/DataTable";
import { Dialog } from "../../components/Dialog";
import { LinkedRecords, RecordLink } from "../../components/RecordLink";
import { chipValue, withChip, type ScreenQuery } from "../../lib/query";
import { ActivityFilters, ActivityStatus, withinDays } from "./ActivityFilters";
import { ROLES, isRole } from "./roles";
import { useUserMutations } from "./useUserMutations";

type Props = ScreenQuery;

/** Who, their role, and when they were last seen, before the row's own times. */
const LEADING = ["email", "role", "last_activity_at", "active", "last_session_at", "last_audit_at"];

/** What each role may do, said where a role is given. */
const ROLE_MEANS: Record<Role, string> = {
  viewer: "A viewer reads and exports, and changes nothing.",
  editor: "An editor also edits profiles and photos, compliance mappings, Genesys data and the search cache.",
  admin:
    "An admin may also manage users and their roles, sessions and tokens, configuration, its secrets and keys, and the schema.",
};

export function UsersScreen({ chips, sort, onQueryChange }: Props) {
  const manage = usePermission("manage_users");
  const me = useSession()?.operator.email.toLowerCase();
  const { changeRole, create, remove } = useUserMutations();
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<Row | null>(null);
  // a role change is made at once and offers Undo; one's own asks first instead: once it is
  // made, one may no longer be allowed to change it back. On production every one asks first.
  const [changing, setChanging] = useState<{ row: Row; role: Role } | null>(null);
  const { gate, dialog: gateDialog } = useProductionGate();
  const change = (row: Row, role: Role) => {
    if (String(row.email).toLowerCase() === me) setChanging({ row, role });
    else
      gate(
        {
          title: "Change a role",
          action: `Make ${role}`,
          text: `Change ${String(row.email)} from ${String(row.role)} to ${role}?`,
        },
        () => changeRole.mutate({ row, role }),
      );
  };
  const roleChip = chipValue(chips, "role", "eq");
  const filterRole = (role: string) => onQueryChange(withChip(chips, "role", "eq", role || null), sort);

  const toolbar = (
    <>
      <div className="segmented" role="group" aria-label="Filter by role">
        {["", ...ROLES].map((r) => (
          <button key={r || "all"} aria-pressed={roleChip === r} onClick={() => filterRole(r)} data-testid={`role-filter-${r || "all"}`}>
            {r || "all"}
          </button>
        ))}
      </div>
      <ActivityFilters chips={chips} onChange={(next) => onQueryChange(next, sort)} />
      <ActionButton
        permission="manage_users"
        onClick={() => {
          create.reset();
          setAdding(true);
        }}
        data-testid="user-create"
      >
        Add user
      </ActionButton>
    </>
  );

  const days = withinDays(chips);
  const renderCell = (column: string, row: Row) => {
    if (column === "active") return <ActivityStatus row={row} days={days} />;
    if (column !== "role") return undefined;
    const pending =
      changing?.row.id === row.id
        ? changing.role
        : changeRole.isPending && changeRole.variables?.row.id === row.id
          ? changeRole.variables.role
          : null;
    return (
      <select
        aria-label={`Role of ${String(row.email)}`}
        data-testid={`user-role-${String(row.id)}`}
        value={pending ?? String(row.role)}
        disabled={!manage.allowed || pending !== null}
        title={manage.allowed ? "Change role" : manage.reason}
        onChange={(e) => isRole(e.target.value) && e.target.value !== row.role && change(row, e.target.value)}
      >
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
    );
  };

  return (
    <>
      <DataTable
        table="users"
        chips={chips}
        sort={sort}
        onQueryChange={onQueryChange}
        toolbar={toolbar}
        renderCell={renderCell}
        leading={LEADING}
        actionsWidth={150}
        actions={(row) => (
          <>
            <RecordLink
              to={linksOf.auditTrail(String(row.email))}
              title={`What ${String(row.email)} did: the audit log filtered to them`}
              data-testid={`user-audit-${String(row.id)}`}
            >
              Audit
            </RecordLink>
            <ActionButton
              permission="manage_users"
              className="danger"
              onClick={() => setDeleting(row)}
              data-testid={`user-delete-${String(row.id)}`}
              title="Delete user"
            >
              Delete
            </ActionButton>
          </>
        )}
        renderDetail={(row) => <UserLinks email={String(row.email)} />}
      />
      {adding && (
        <AddUserDialog
          busy={create.isPending}
          emailError={create.error instanceof AppError && create.error.field === "email" ? create.error.message : null}
          onCancel={() => setAdding(false)}
          onSave={(email, role) => create.mutate({ email, role }, { onSuccess: () => setAdding(false) })}
        />
      )}
      {changing && (
        <Confirm
          title="Change your own role"
          action={`Make ${changing.role}`}
          busy={changeRole.isPending}
          onCancel={() => setChanging(null)}
          onConfirm={() => changeRole.mutate({ ...changing, undoable: false }, { onSettled: () => setChanging(null) })}
        >
          <p>
            Change <strong>{String(changing.row.email)}</strong> (you) from {String(changing.row.role)} to{" "}
            <strong>{changing.role}</strong>? {ROLE_MEANS[changing.role]} The change is recorded in the audit log.
          </p>
          {changing.role !== "admin" && (
            <p>You will not be able to change it back yourself: another admin will have to.</p>
          )}
        </Confirm>
      )}
      {gateDialog}
      {deleting && (
        <Confirm
          title="Delete user"
          action="Delete"
          busy={remove.isPending}
          onCancel={() => setDeleting(null)}
          onConfirm={() => remove.mutate(deleting, { onSettled: () => setDeleting(null) })}
        >
          <p>
            Delete <strong>{String(deleting.email)}</strong> ({String(deleting.role)})? The change is recorded in the
            audit log.
          </p>
        </Confirm>
      )}
    </>
  );
}

/** The drawer's links: what the user did, their sessions, and their employee profile. */
function UserLinks({ email }: { email: string }) {
  return (
    <LinkedRecords
      links={[
        { to: linksOf.auditTrail(email), label: "Audit trail", title: `The audit log filtered to ${email}`, testid: "link-audit" },
        { to: linksOf.sessions(email), label: "Sessions", title: `The sessions of ${email}`, testid: "link-sessions" },
        { to: linksOf.profile(email), label: "Employee profile", title: `The employee profile of ${email}, if there is one`, testid: "link-profile" },
      ]}
    />
  );
}

interface AddUserProps {
  busy: boolean;
  /** The backend's complaint about the email (taken, malformed), shown next to the field. */
  emailError: string | null;
  onCancel: () => void;
  onSave: (email: string, role: Role) => void;
}

function AddUserDialog(props: AddUserProps) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  function submit(e: FormEvent) {
    e.preventDefault();
    props.onSave(email.trim(), role);
  }
  return (
    <Dialog title="Add user" onClose={props.onCancel}>
      <form onSubmit={submit} className="form">
        <label>
          Email
          <input
            type="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            aria-invalid={props.emailError !== null}
            aria-describedby={props.emailError ? "user-email-error" : undefined}
            data-testid="user-email"
          />
          {props.emailError && (
            <span className="field-error" id="user-email-error" data-testid="user-email-error">
              {props.emailError}
            </span>
          )}
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => isRole(e.target.value) && setRole(e.target.value)}>
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <div className="dialog-actions">
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
          <button type="submit" disabled={props.busy} data-testid="user-save">
            Add
          </button>
        </div>
      </form>
    </Dialog>
  );
}
