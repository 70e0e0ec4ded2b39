// Tooltips drawn inside the window. WebKitGTK shows a `title` as a native tooltip placed at the
// pointer, which near the window's left edge is cut off; this layer shows the same text in an
// element of the page instead, below the element (above it when there is no room below),
// shifted to stay inside the window. Components keep writing `title` (or `data-tip` where
// there is no `title`, as on SVG bars): while the pointer or the keyboard focus is on an
// element, its `title` moves to `data-tip` (so the native tooltip does not show as well) and
// comes back when they leave.
import { useEffect, useLayoutEffect, useRef, useState } from "react";

/** How long the pointer rests on an element before its tooltip shows. */
export const TIP_DELAY_MS = 450;
/** Space between the element and its tooltip, and kept free at the window's edges. */
const GAP = 6;
const MARGIN = 4;
/** Marks an element whose `title` this layer holds in `data-tip` for now. */
const HELD = "data-tip-title";

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Where a tooltip of `tip`'s size goes for an element at `anchor` in a `view`-sized window:
 *  centred below it, above it when it does not fit below, and shifted sideways (and, when it
 *  fits neither way, up or down) so that it stays inside the window. */
export function placeTip(
  anchor: Box,
  tip: { width: number; height: number },
  view: { width: number; height: number },
): { left: number; top: number; side: "below" | "above" } {
  const clamp = (v: number, low: number, high: number) => Math.max(low, Math.min(v, Math.max(low, high)));
  const left = clamp(anchor.left + anchor.width / 2 - tip.width / 2, MARGIN, view.width - MARGIN - tip.width);
  const below = anchor.top + anchor.height + GAP;
  const above = anchor.top - GAP - tip.height;
  if (below + tip.height <= view.height - MARGIN) return { left, top: below, side: "below" };
  if (above >= MARGIN) return { left, top: above, side: "above" };
  // fits neither way: on the roomier side, kept inside
  const roomBelow = view.height - below;
  const roomAbove = anchor.top - GAP;
  return roomBelow >= roomAbove
    ? { left, top: clamp(below, MARGIN, view.height - MARGIN - tip.height), side: "below" }
    : { left, top: clamp(above, MARGIN, view.height - MARGIN - tip.height), side: "above" };
}

/** The element whose tooltip applies at `target`: the nearest with a title or a data-tip. */
function tipped(target: EventTarget | null): Element | null {
  if (!(target instanceof Element)) return null;
  const el = target.closest("[title], [data-tip]");
  if (!el) return null;
  const text = el.getAttribute("title") ?? el.getAttribute("data-tip");
  return text && text.trim() ? el : null;
}

/** Takes the element's title into data-tip (no native tooltip meanwhile); returns the text. */
function hold(el: Element): string {
  const title = el.getAttribute("title");
  if (title !== null) {
    el.removeAttribute("title");
    el.setAttribute("data-tip", title);
    el.setAttribute(HELD, "");
    return title;
  }
  return el.getAttribute("data-tip") ?? "";
}

/** Gives a held title back (unless the page set a new one meanwhile). */
function release(el: Element) {
  if (!el.hasAttribute(HELD)) return;
  const text = el.getAttribute("data-tip");
  if (!el.hasAttribute("title") && text !== null) el.setAttribute("title", text);
  el.removeAttribute("data-tip");
  el.removeAttribute(HELD);
}

function focusVisible(el: Element): boolean {
  try {
    return el.matches(":focus-visible");
  } catch {
    return false;
  }
}

interface Shown {
  anchor: Element;
  text: string;
}

/** Mounted once, at the root of the window. */
export function TooltipLayer() {
  const [shown, setShown] = useState<Shown | null>(null);
  const [place, setPlace] = useState<{ left: number; top: number; side: string } | null>(null);
  const tipRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let anchor: Element | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // the page may write the title again while it is held (a countdown, a new reason): take it
    const watch = new MutationObserver(() => {
      if (anchor?.hasAttribute("title")) {
        const text = hold(anchor);
        setShown((s) => (s && s.anchor === anchor ? { anchor, text } : s));
      }
    });
    // a click, a key or a scroll hides the tooltip; it shows again once the pointer has left
    // (the title stays held meanwhile, so the native one does not show instead)
    const hide = () => {
      clearTimeout(timer);
      setShown(null);
    };
    const leave = () => {
      hide();
      watch.disconnect();
      if (anchor) release(anchor);
      anchor = null;
    };
    const enter = (el: Element, delay: number) => {
      if (el === anchor) return;
      leave();
      anchor = el;
      const text = hold(el);
      watch.observe(el, { attributes: true, attributeFilter: ["title"] });
      const show = () => {
        if (anchor === el && el.isConnected) setShown({ anchor: el, text: el.getAttribute("data-tip") ?? text });
      };
      if (delay > 0) timer = setTimeout(show, delay);
      else show();
    };
    const onOver = (e: Event) => {
      const el = tipped(e.target);
      if (el) enter(el, TIP_DELAY_MS);
      else if (anchor && !(e.target instanceof Node && anchor.contains(e.target))) leave();
    };
    const onOut = (e: MouseEvent) => {
      const to = e.relatedTarget;
      if (anchor && !(to instanceof Node && anchor.contains(to))) leave();
    };
    const onFocus = (e: FocusEvent) => {
      const el = tipped(e.target);
      // keyboard focus only: a click shows no tooltip
      if (el && el === e.target && focusVisible(el)) enter(el, 0);
    };
    const onBlur = (e: FocusEvent) => {
      // only the element focus leaves: the one under the pointer keeps its tooltip
      if (anchor && e.target === anchor) leave();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") hide();
    };
    document.addEventListener("mouseover", onOver, true);
    document.addEventListener("mouseout", onOut, true);
    document.addEventListener("focusin", onFocus, true);
    document.addEventListener("focusout", onBlur, true);
    document.addEventListener("mousedown", hide, true);
    document.addEventListener("keydown", onKey, true);
    document.addEventListener("scroll", hide, true);
    window.addEventListener("blur", leave);
    return () => {
      leave();
      document.removeEventListener("mouseover", onOver, true);
      document.removeEventListener("mouseout", onOut, true);
      document.removeEventListener("focusin", onFocus, true);
      document.removeEventListener("focusout", onBlur, true);
      document.removeEventListener("mousedown", hide, true);
      document.removeEventListener("keydown", onKey, true);
      document.removeEventListener("scroll", hide, true);
      window.removeEventListener("blur", leave);
    };
  }, []);

  // measured once drawn (hidden until placed)
  useLayoutEffect(() => {
    const tip = tipRef.current;
    if (!shown || !tip) {
      setPlace(null);
      return;
    }
    const a = shown.anchor.getBoundingClientRect();
    const view = { width: document.documentElement.clientWidth || window.innerWidth, height: window.innerHeight };
    setPlace(placeTip(a, { width: tip.offsetWidth, height: tip.offsetHeight }, view));
  }, [shown]);

  if (!shown) return null;
  return (
    <div
      ref={tipRef}
      role="tooltip"
      className="tip"
      data-testid="tooltip"
      data-side={place?.side}
      style={{ left: place?.left ?? 0, top: place?.top ?? 0, visibility: place ? "visible" : "hidden" }}
    >
      {shown.text}
    </div>
  );
}
