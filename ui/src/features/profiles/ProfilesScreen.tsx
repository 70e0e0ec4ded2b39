// Employee profiles: a photo grid or the list; the detail drawer shows the full photo and the
// Keystone record, and replaces or removes the photo.
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { api, versionOf, type Row } from "../../api";
import { errorText, useToast } from "../../app/toasts";
import { ActionButton } from "../../components/ActionButton";
import { Confirm } from "../../components/Confirm";
import { DataTable } from "../../components/DataTable";
import { Drawer } from "../../components/Drawer";
import { toQuery, type Chip, type ScreenQuery } from "../../lib/query";
import { KeystoneEditor } from "./KeystoneEditor";
import { photoUrl } from "./photoUrl";

type Props = ScreenQuery;

function initials(email: string): string {
  return email
    .split("@")[0]
    .split(/[._-]/)
    .map((part) => part.charAt(0).toUpperCase())
    .slice(0, 2)
    .join("");
}

function PhotoActions({ row, onDone }: { row: Row; onDone: () => void }) {
  const toast = useToast();
  const [confirmRemove, setConfirmRemove] = useState(false);
  const target = { id: Number(row.id), expected_updated_at: versionOf(row) };
  // the backend asks for the file in a native dialog and checks it (type by content, 5 MiB)
  const changePhoto = useMutation({
    mutationFn: async (replace: boolean) =>
      replace ? api.replacePhoto(target) : api.removePhoto(target).then(() => true),
    onSuccess: (changed, replace) => {
      if (!changed) return;
      toast.ok(replace ? "Photo replaced" : "Photo removed");
      onDone();
    },
    onError: toast.error,
  });
  return (
    <div className="button-row">
      <ActionButton
        permission="edit_profiles"
        onClick={() => changePhoto.mutate(true)}
        disabled={changePhoto.isPending}
        data-testid="replace-photo"
      >
        Replace photo…
      </ActionButton>
      {Boolean(row.photo_content_type) && (
        <ActionButton
          permission="edit_profiles"
          onClick={() => setConfirmRemove(true)}
          disabled={changePhoto.isPending}
          data-testid="remove-photo"
        >
          Remove photo…
        </ActionButton>
      )}
      {confirmRemove && (
        <Confirm
          title="Remove photo"
          action="Remove photo"
          busy={changePhoto.isPending}
          onCancel={() => setConfirmRemove(false)}
          onConfirm={() => changePhoto.mutate(false, { onSettled: () => setConfirmRemove(false) })}
        >
          <p>
            Remove the photo of <strong>{String(row.email)}</strong>? The directory shows initials instead; the change
            is recorded in the audit log.
          </p>
        </Confirm>
      )}
    </div>
  );
}

function ProfileDetail({ row, version, onDone }: { row: Row; version: number; onDone: () => void }) {
  return (
    <div className="profile-detail">
      {row.photo_content_type ? (
        <img
          className="photo-full"
          src={`${photoUrl(Number(row.id), false)}?v=${version}`}
          alt={`Photo of ${String(row.email)}`}
          data-testid="profile-photo"
        />
      ) : (
        <p className="muted">No photo.</p>
      )}
      <PhotoActions row={row} onDone={onDone} />
      <KeystoneEditor key={String(row.updated_at)} row={row} onDone={onDone} />
    </div>
  );
}

function PhotoGrid({ chips, onOpen, version }: { chips: Chip[]; onOpen: (row: Row) => void; version: number }) {
  const pages = useInfiniteQuery({
    queryKey: ["rows", "employee_profiles", "grid", chips],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api.listRows("employee_profiles", toQuery(chips, null, [], pageParam, 120)),
    getNextPageParam: (last) => last.next_cursor,
  });
  if (pages.error) return <p className="state state-error">{errorText(pages.error)}</p>;
  const rows = pages.data?.pages.flatMap((p) => p.rows) ?? [];
  return (
    <div className="photo-grid-wrap">
      <div className="photo-grid" data-testid="photo-grid">
        {rows.map((r) => (
          <button key={String(r.id)} className="photo-tile" onClick={() => onOpen(r)} title={String(r.email)} data-testid="photo-tile">
            {r.photo_content_type ? (
              <img src={`${photoUrl(Number(r.id), true)}?v=${version}`} alt="" loading="lazy" width={96} height={96} />
            ) : (
              <span className="no-photo" aria-label="no photo">
                {initials(String(r.email))}
              </span>
            )}
            <span>{String(r.email).split("@")[0]}</span>
          </button>
        ))}
      </div>
      {pages.hasNextPage && (
        <button onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
          Load more
        </button>
      )}
    </div>
  );
}

export function ProfilesScreen({ chips, sort, onQueryChange }: Props) {
  const client = useQueryClient();
  const [view, setView] = useState<"grid" | "list">("grid");
  const [open, setOpen] = useState<Row | null>(null);
  // bumps image URLs after a photo change, so the webview does not show its cached copy
  const [version, setVersion] = useState(0);
  const changed = () => {
    setVersion((v) => v + 1);
    setOpen(null);
    void client.invalidateQueries({ queryKey: ["rows", "employee_profiles"] });
  };
  const toggle = (
    <div className="segmented" role="group" aria-label="View">
      {(["grid", "list"] as const).map((v) => (
        <button key={v} aria-pressed={view === v} onClick={() => setView(v)} data-testid={`view-${v}`}>
          {v}
        </button>
      ))}
    </div>
  );
  return (
    <div className="profiles">
      {view === "grid" ? (
        <>
          <div className="table-toolbar">{toggle}</div>
          <PhotoGrid chips={chips} onOpen={setOpen} version={version} />
          {open && (
            <Drawer title={String(open.email)} row={open} onClose={() => setOpen(null)}>
              <ProfileDetail row={open} version={version} onDone={changed} />
            </Drawer>
          )}
        </>
      ) : (
        <DataTable
          table="employee_profiles"
          chips={chips}
          sort={sort}
          onQueryChange={onQueryChange}
          toolbar={toggle}
          renderDetail={(row) => <ProfileDetail row={row} version={version} onDone={changed} />}
        />
      )}
    </div>
  );
}
