// A toolbar menu's panel: while open, the first control matching `focusFirst` takes the focus
// and a press outside the panel and its button closes it.
import { useEffect, type RefObject } from "react";

export function useMenuPanel(
  open: boolean,
  close: () => void,
  focusFirst: string,
  button: RefObject<HTMLButtonElement | null>,
  panel: RefObject<HTMLDivElement | null>,
) {
  useEffect(() => {
    if (!open) return;
    panel.current?.querySelector<HTMLElement>(focusFirst)?.focus();
    const outside = (e: globalThis.MouseEvent) => {
      const target = e.target as Node;
      if (!panel.current?.contains(target) && !button.current?.contains(target)) close();
    };
    document.addEventListener("mousedown", outside);
    return () => document.removeEventListener("mousedown", outside);
    // `close` only sets the menu's state: the same effect whatever its identity
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, focusFirst, button, panel]);
}
