// A modal dialog: the first field gets focus, Tab stays inside, Esc or the backdrop cancels, and
// focus returns where it was.
import { useEffect, useRef, type ReactNode } from "react";

interface Props {
  title: string;
  onClose: () => void;
  children: ReactNode;
}

const FOCUSABLE = "input, select, textarea, button, a[href], [tabindex]:not([tabindex='-1'])";

function focusables(box: HTMLElement): HTMLElement[] {
  return [...box.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.hasAttribute("disabled"));
}

/** Wraps Tab and Shift+Tab around the dialog's first and last controls. */
function keepTabInside(e: KeyboardEvent, box: HTMLElement) {
  const all = focusables(box);
  if (all.length === 0) return;
  const first = all[0];
  const last = all[all.length - 1];
  const inside = box.contains(document.activeElement);
  if (e.shiftKey && (document.activeElement === first || !inside)) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && (document.activeElement === last || !inside)) {
    e.preventDefault();
    first.focus();
  }
}

export function Dialog({ title, onClose, children }: Props) {
  const box = useRef<HTMLDivElement>(null);
  // callers pass inline closures: keep the latest without re-running the mount effect (which
  // would move focus back to the first field on every render)
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  });
  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (box.current) focusables(box.current)[0]?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        // captured at the window, so a drawer under the dialog does not close as well
        e.stopPropagation();
        close.current();
      } else if (e.key === "Tab" && box.current) {
        keepTabInside(e, box.current);
      }
    };
    window.addEventListener("keydown", onKey, true);
    return () => {
      window.removeEventListener("keydown", onKey, true);
      before?.focus();
    };
  }, []);
  return (
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && close.current()}>
      <div className="dialog" role="dialog" aria-modal="true" aria-label={title} ref={box}>
        <h2>{title}</h2>
        {children}
      </div>
    </div>
  );
}
