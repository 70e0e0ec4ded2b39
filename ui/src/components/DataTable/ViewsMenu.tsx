// The toolbar's "Views" menu: save the table's filters, sort, column layout and page size under
// a name, apply a saved one, mark one as the default (applied when the screen opens), delete
// one. Replacing or deleting a view asks first, in the menu. Keyboard: Tab through it, Enter
// or Space on a button, Esc closes and returns to the button (or leaves the question asked).
import { useEffect, useId, useRef, useState, type FormEvent } from "react";

import type { View, ViewList } from "../../api";
import { errorText } from "../../app/toasts";
import { checkViewName, MAX_NAME_CHARS, PAGE_SIZES } from "./savedViews";
import { useMenuPanel } from "./useMenuPanel";

interface Props {
  views: ViewList | undefined;
  /** Why the views could not be read (a damaged file), shown in the menu. */
  error: unknown;
  /** The applied view whose filters and sort the table still shows, if any. */
  current: string | null;
  pageSize: number;
  onApply: (view: View) => void;
  /** Resolves once saved; a rejection is shown in the menu. */
  onSave: (name: string, pageSize: number, overwrite: boolean) => Promise<unknown>;
  onDelete: (name: string) => Promise<unknown>;
  onSetDefault: (name: string | null) => Promise<unknown>;
}

type Asking = { kind: "replace"; name: string } | { kind: "delete"; name: string } | null;

export function ViewsMenu({ views, error, current, pageSize, onApply, onSave, onDelete, onSetDefault }: Props) {
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const [name, setName] = useState("");
  const [size, setSize] = useState(pageSize);
  const [asking, setAsking] = useState<Asking>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  useMenuPanel(open, () => setOpen(false), "input, button", button, panel);
  const list = views?.views ?? [];

  // the question asked takes the focus; so does the name box when the form opens, and the
  // "Save current view…" button when it closes
  useEffect(() => {
    if (asking) panel.current?.querySelector<HTMLElement>("[data-confirm]")?.focus();
  }, [asking]);
  useEffect(() => {
    if (!open) return;
    const target = saving ? '[data-testid="views-name"]' : '[data-testid="views-save-current"]';
    panel.current?.querySelector<HTMLElement>(target)?.focus();
  }, [open, saving]);

  const reset = () => {
    setSaving(false);
    setAsking(null);
    setProblem(null);
    setName("");
  };
  const close = () => {
    setOpen(false);
    reset();
    button.current?.focus();
  };
  const toggle = () => {
    if (open) close();
    else {
      reset();
      setSize(pageSize);
      setOpen(true);
    }
  };

  const run = async (action: () => Promise<unknown>, after?: () => void) => {
    setBusy(true);
    setProblem(null);
    try {
      await action();
      after?.();
    } catch (e) {
      setProblem(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const check = checkViewName(name, list);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!check.ok) return setProblem(check.error);
    if (check.replaces && asking?.kind !== "replace") return setAsking({ kind: "replace", name: check.name });
    void run(
      () => onSave(check.name, size, check.replaces),
      () => reset(),
    );
  };

  return (
    <span className="columns-menu-anchor">
      <button
        ref={button}
        aria-haspopup="true"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        onClick={toggle}
        title={current ? `Showing the view “${current}”` : "Saved views: filters, sort and columns under a name"}
        className="views-button"
        data-testid="views-button"
      >
        {current ? `View: ${current}` : "Views"}
      </button>
      {open && (
        <div
          ref={panel}
          id={id}
          className="columns-menu views-menu"
          role="group"
          aria-label="Saved views"
          onKeyDown={(e) => {
            if (e.key !== "Escape") return;
            e.stopPropagation(); // an open drawer stays open
            if (asking) setAsking(null);
            else close();
          }}
        >
          {saving ? (
            <form onSubmit={submit} className="views-save" data-testid="views-save-form">
              <label>
                Name
                <input
                  value={name}
                  maxLength={MAX_NAME_CHARS + 10}
                  onChange={(e) => {
                    setName(e.target.value);
                    setAsking(null);
                    setProblem(null);
                  }}
                  aria-invalid={problem !== null}
                  data-testid="views-name"
                />
              </label>
              <label>
                Rows per page
                <select value={size} onChange={(e) => setSize(Number(e.target.value))} data-testid="views-page-size">
                  {[...new Set([...PAGE_SIZES, pageSize])]
                    .sort((a, b) => a - b)
                    .map((n) => (
                      <option key={n} value={n}>
                        {n}
                      </option>
                    ))}
                </select>
              </label>
              {asking?.kind === "replace" ? (
                <p className="views-ask" role="alert">
                  A view named “{asking.name}” exists. Replace it?{" "}
                  <button type="submit" data-confirm disabled={busy} data-testid="views-replace">
                    Replace
                  </button>{" "}
                  <button type="button" onClick={() => setAsking(null)}>
                    Keep it
                  </button>
                </p>
              ) : (
                <span className="views-actions">
                  <button type="submit" disabled={busy} data-testid="views-save">
                    Save
                  </button>
                  <button type="button" onClick={() => reset()}>
                    Cancel
                  </button>
                </span>
              )}
            </form>
          ) : (
            <button
              onClick={() => {
                setSaving(true);
                setProblem(null);
                setName(current ?? "");
              }}
              data-testid="views-save-current"
            >
              Save current view…
            </button>
          )}
          {problem && (
            <p className="state-error views-problem" role="alert">
              {problem}
            </p>
          )}
          {error ? (
            <p className="state-error views-problem" role="alert">
              {errorText(error)}
            </p>
          ) : !views ? (
            <p className="muted">Loading…</p>
          ) : list.length === 0 ? (
            <p className="muted" data-testid="views-none">
              No saved views for this table.
            </p>
          ) : (
            <ul aria-label="Saved views" data-testid="views-list">
              {list.map((view) => {
                const isDefault = views.default === view.name;
                return (
                  <li key={view.name} data-testid="view-item">
                    {asking?.kind === "delete" && asking.name === view.name ? (
                      <span className="views-ask" role="alert">
                        Delete “{view.name}”?{" "}
                        <button
                          data-confirm
                          disabled={busy}
                          onClick={() => void run(() => onDelete(view.name), () => setAsking(null))}
                          data-testid="views-delete-confirm"
                        >
                          Delete
                        </button>{" "}
                        <button onClick={() => setAsking(null)}>Keep it</button>
                      </span>
                    ) : (
                      <>
                        <button
                          className="views-apply"
                          aria-current={current === view.name ? "true" : undefined}
                          onClick={() => {
                            onApply(view);
                            close();
                          }}
                          title={`Apply: ${describe(view)}`}
                        >
                          {view.name}
                          {isDefault && <span className="muted"> (default)</span>}
                        </button>
                        <button
                          aria-pressed={isDefault}
                          aria-label={isDefault ? `No default view (now “${view.name}”)` : `Set “${view.name}” as default`}
                          title={isDefault ? "Applied when this table opens; press to stop" : "Set as default: applied when this table opens"}
                          disabled={busy}
                          onClick={() => void run(() => onSetDefault(isDefault ? null : view.name))}
                        >
                          {isDefault ? "★" : "☆"}
                        </button>
                        <button
                          aria-label={`Delete “${view.name}”`}
                          title="Delete this view"
                          disabled={busy}
                          onClick={() => setAsking({ kind: "delete", name: view.name })}
                        >
                          ✕
                        </button>
                      </>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
          {views?.warnings.length ? (
            <p className="muted views-warnings" title={views.warnings.join("\n")}>
              {views.warnings.length === 1 ? "1 saved view was dropped" : `${views.warnings.length} problems in the views file`}: {views.warnings[0]}
            </p>
          ) : null}
        </div>
      )}
    </span>
  );
}

/** What a view sets, in a line. */
function describe(view: View): string {
  const parts = [`${view.chips.length} filter${view.chips.length === 1 ? "" : "s"}`];
  if (view.sort) parts.push(`sorted by ${view.sort.column} ${view.sort.descending ? "↓" : "↑"}`);
  parts.push(`${view.columns.filter((c) => !c.hidden).length} columns`, `${view.page_size} rows a page`);
  return parts.join(", ");
}
