// Employee profiles: a photo grid (searchable, counted, its filters shown as chips) or the list
// (with the Keystone name, title, department and job code); the detail drawer shows the photo
// at its size, the Keystone record, links to the employee's role assignments and compliance
// gaps, and replaces or removes the photo.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type SyntheticEvent } from "react";

import { api, versionOf, type Row } from "../../api";
import { linksOf } from "../../app/links";
import { errorText, useToast } from "../../app/toasts";
import { ActionButton } from "../../components/ActionButton";
import { Confirm } from "../../components/Confirm";
import { DataTable } from "../../components/DataTable";
import type { DerivedColumn } from "../../components/DataTable/derived";
import { FilterBar } from "../../components/DataTable/FilterBar";
import { shownColumns } from "../../components/DataTable/columns";
import { Drawer } from "../../components/Drawer";
import { ExportButton } from "../../components/ExportButton";
import { LinkedRecords } from "../../components/RecordLink";
import { formatCount } from "../../lib/format";
import { toQuery, type Chip, type ScreenQuery } from "../../lib/query";
import { QuickFilters } from "../logs/QuickFilters";
import { email as emailFilter } from "../logs/quickFilters";
import { keystoneSummary } from "./keystone";
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

/** The stored photo at its own size, never wider than the drawer; a click fits a small one to
 *  the drawer's width. Says how big the stored photo is. */
function FullPhoto({ row, version }: { row: Row; version: number }) {
  const [size, setSize] = useState<{ width: number; height: number; scaled: boolean } | null>(null);
  const [fit, setFit] = useState(false);
  const loaded = (e: SyntheticEvent<HTMLImageElement>) => {
    const img = e.currentTarget;
    setSize({ width: img.naturalWidth, height: img.naturalHeight, scaled: img.clientWidth > 0 && img.clientWidth < img.naturalWidth });
  };
  return (
    <figure className="photo-figure">
      <img
        className={fit ? "photo-full fit" : "photo-full"}
        src={`${photoUrl(Number(row.id), false)}?v=${version}`}
        alt={`Photo of ${String(row.email)}`}
        onLoad={loaded}
        onClick={() => setFit((f) => !f)}
        title={fit ? "Click to show the photo at its own size" : "Click to fit the drawer's width"}
        data-testid="profile-photo"
      />
      {size && (
        <figcaption className="muted" data-testid="photo-size">
          {size.width} × {size.height} px{fit ? ", enlarged to fit" : size.scaled ? ", scaled down to fit" : " (its stored size)"}
        </figcaption>
      )}
    </figure>
  );
}

function ProfileDetail({ row, version, onDone }: { row: Row; version: number; onDone: () => void }) {
  const email = String(row.email);
  const keystone = keystoneSummary(row.keystone_data);
  return (
    <div className="profile-detail">
      {row.photo_content_type ? <FullPhoto key={`${String(row.id)}-${version}`} row={row} version={version} /> : <p className="muted">No photo.</p>}
      {(keystone.name || keystone.title || keystone.department || keystone.jobCode) && (
        <p className="keystone-line" data-testid="keystone-summary">
          {[keystone.name, keystone.title, keystone.department, keystone.jobCode].filter(Boolean).join(" · ")}
        </p>
      )}
      <LinkedRecords
        links={[
          { to: linksOf.roleAssignments(email), label: "Role assignments", title: `The system roles ${email} holds`, testid: "link-assignments" },
          { to: linksOf.complianceGaps(email), label: "Compliance gaps", title: `The compliance report for ${email}`, testid: "link-gaps" },
          { to: linksOf.user(email), label: "User account", title: `The WhoDis user ${email}, if there is one`, testid: "link-user" },
        ]}
      />
      <PhotoActions row={row} onDone={onDone} />
      <KeystoneEditor key={String(row.updated_at)} row={row} onDone={onDone} />
    </div>
  );
}

const SEARCH = [emailFilter("email", "Search email")];

/** "1,234 employees", "≈ 12K employees", "≥ 10,000 employees". */
function employees(total: { value: number; kind: string }): string {
  const noun = total.value === 1 ? "employee" : "employees";
  const prefix = total.kind === "estimate" ? "≈ " : total.kind === "at_least" ? "≥ " : "";
  return `${prefix}${formatCount(total.value)} ${noun}`;
}

/** The grid's own bar: the email search, the filters as chips (× clears one, so a palette jump
 *  to one person leads back to everyone) and how many the filters select. */
function GridFilters({ chips, onChange, loaded }: { chips: Chip[]; onChange: (chips: Chip[]) => void; loaded: number }) {
  const columns = useQuery({ queryKey: ["columns", "employee_profiles"], queryFn: () => api.columns("employee_profiles") });
  // the same query the list view counts with, so both views share it
  const total = useQuery({
    queryKey: ["rows", "employee_profiles", chips, "total"],
    enabled: columns.isSuccess,
    queryFn: () => api.countRows("employee_profiles", toQuery(chips, null, columns.data ?? [])),
  });
  return (
    <>
      <div className="table-toolbar">
        <QuickFilters filters={SEARCH} chips={chips} onChange={onChange} />
        <ExportButton table="employee_profiles" chips={chips} sort={null} columns={columns.data ?? []} />
        <span className="total" data-testid="grid-total">
          {total.data ? `${loaded < total.data.value ? `${formatCount(loaded)} shown of ` : ""}${employees(total.data)}` : ""}
        </span>
      </div>
      <FilterBar columns={shownColumns(columns.data ?? [])} chips={chips} onChange={onChange} />
    </>
  );
}

interface GridProps {
  chips: Chip[];
  onChange: (chips: Chip[]) => void;
  onOpen: (row: Row) => void;
  version: number;
}

function PhotoGrid({ chips, onChange, onOpen, version }: GridProps) {
  const pages = useInfiniteQuery({
    queryKey: ["rows", "employee_profiles", "grid", chips],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api.listRows("employee_profiles", toQuery(chips, null, [], pageParam, 120)),
    getNextPageParam: (last) => last.next_cursor,
  });
  const rows = pages.data?.pages.flatMap((p) => p.rows) ?? [];
  // the next page comes as the end of the grid nears the view, as in every list
  const end = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = pages;
  useEffect(() => {
    const el = end.current;
    if (!el || !hasNextPage || typeof IntersectionObserver === "undefined") return;
    const watch = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
      },
      { rootMargin: "400px" },
    );
    watch.observe(el);
    return () => watch.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  const filters = <GridFilters chips={chips} onChange={onChange} loaded={rows.length} />;
  if (pages.error)
    return (
      <>
        {filters}
        <p className="state state-error">{errorText(pages.error)}</p>
      </>
    );
  return (
    <>
      {filters}
      {pages.data && rows.length === 0 && (
        <p className="state" data-testid="empty">
          {chips.length ? "No employee matches these filters." : "There are no employee profiles."}
        </p>
      )}
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
        {/* fetched by itself when scrolled near; the button stays for the keyboard */}
        <div ref={end} data-testid="grid-end">
          {pages.hasNextPage && (
            <button onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
              {pages.isFetchingNextPage ? "Loading…" : "Load more"}
            </button>
          )}
        </div>
      </div>
    </>
  );
}

/** Keystone's fields as columns of their own in the list (computed from keystone_data). */
const KEYSTONE_COLUMNS: DerivedColumn[] = [
  { name: "name", value: (row) => keystoneSummary(row.keystone_data).name },
  { name: "title", value: (row) => keystoneSummary(row.keystone_data).title },
  { name: "department", value: (row) => keystoneSummary(row.keystone_data).department },
  { name: "job_code", value: (row) => keystoneSummary(row.keystone_data).jobCode },
];
const LEADING = ["email", "name", "title", "department", "job_code"];

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
          <PhotoGrid chips={chips} onChange={(next) => onQueryChange(next, sort)} onOpen={setOpen} version={version} />
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
          leading={LEADING}
          derived={KEYSTONE_COLUMNS}
          renderDetail={(row) => <ProfileDetail row={row} version={version} onDone={changed} />}
        />
      )}
    </div>
  );
}
