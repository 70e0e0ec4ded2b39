// Which rows of a fixed height to render, worked out from the scroller's scrollTop and height
// alone: nothing is kept per row, so a table of any length costs the same. The spacer is capped
// (WebKit lays out no element taller than ~33M px; 34 px rows reach that before 1M rows); when
// it is capped, the scroll range maps proportionally onto the rows, which are then placed
// relative to the scroll position so they still line up edge to edge.
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { flushSync } from "react-dom";

/** Rows rendered beyond each edge of the viewport, so a fast scroll shows no gap. */
export const OVERSCAN = 12;
/** The tallest spacer: well inside what WebKit lays out. */
export const MAX_SPACER = 8_000_000;
/** jsdom has no layout: a window-sized viewport, so rows render in tests as in the app. */
const FALLBACK_VIEWPORT = 600;

export interface Geometry {
  count: number;
  rowHeight: number;
  /** Height the rows are seen through (the scroller's, less its sticky header). */
  viewport: number;
  cap?: number;
}

export interface RowWindow {
  /** Rows to render, overscan included; `last < first` when there are none. */
  first: number;
  last: number;
  /** The spacer's height. */
  height: number;
  /** Row `i`'s top in the spacer is `i * rowHeight + shift` (0 unless capped). */
  shift: number;
  /** Scrolled within one row of the top. */
  atTop: boolean;
}

const total = (g: Geometry) => g.count * g.rowHeight;

export function spacerHeight(g: Geometry): number {
  return Math.min(total(g), g.cap ?? MAX_SPACER);
}

/** Pixels of rows per pixel of scroll: 1 unless the spacer is capped. */
function ratio(g: Geometry): number {
  const height = spacerHeight(g);
  return total(g) > height && height > g.viewport ? (total(g) - g.viewport) / (height - g.viewport) : 1;
}

/** How far into the rows (in row pixels) the viewport's top is at this scrollTop. */
export function offsetAt(g: Geometry, scrollTop: number): number {
  const r = ratio(g);
  if (r === 1) return scrollTop;
  // exact at the end, where rounding could leave the last row a fraction short
  if (scrollTop >= spacerHeight(g) - g.viewport) return total(g) - g.viewport;
  return Math.max(0, scrollTop * r);
}

export function rowWindow(g: Geometry, scrollTop: number, overscan = OVERSCAN): RowWindow {
  const height = spacerHeight(g);
  const offset = offsetAt(g, scrollTop);
  const shift = ratio(g) === 1 ? 0 : scrollTop - offset;
  const top = Math.max(0, Math.floor(offset / g.rowHeight));
  const bottom = Math.min(g.count - 1, Math.ceil((offset + g.viewport) / g.rowHeight) - 1);
  // overscan rows stay inside the spacer: one past its end would lengthen the scroll range
  const inside = { first: Math.ceil(-shift / g.rowHeight), last: Math.floor((height - shift) / g.rowHeight) - 1 };
  return {
    first: Math.max(0, Math.min(top, Math.max(top - overscan, inside.first))),
    last: Math.min(g.count - 1, Math.max(bottom, Math.min(bottom + overscan, inside.last))),
    height,
    shift,
    atTop: offset < g.rowHeight,
  };
}

/** The scrollTop that brings row `index` fully into view (top or bottom edge, whichever is
 *  nearer), or null when it is in view already. */
export function scrollTopToShow(g: Geometry, scrollTop: number, index: number): number | null {
  const offset = offsetAt(g, scrollTop);
  const top = index * g.rowHeight;
  const r = ratio(g);
  const end = Math.max(0, spacerHeight(g) - g.viewport);
  // rounded towards the row, so it is whole on screen whatever scrollTop the browser keeps
  if (top < offset) return Math.floor(top / r);
  if (top + g.rowHeight > offset + g.viewport) return Math.min(end, Math.ceil((top + g.rowHeight - g.viewport) / r));
  return null;
}

function sameWindow(a: RowWindow, b: RowWindow): boolean {
  return a.first === b.first && a.last === b.last && a.shift === b.shift && a.atTop === b.atTop && a.height === b.height;
}

interface Metrics {
  scrollTop: number;
  clientHeight: number;
}

const geometry = (count: number, rowHeight: number, headHeight: number, m: Metrics): Geometry => ({
  count,
  rowHeight,
  viewport: Math.max(rowHeight, (m.clientHeight || FALLBACK_VIEWPORT) - headHeight),
});

export interface RowWindowHook extends RowWindow {
  /** The scroller's ref, and the scroller. */
  ref: (element: HTMLElement | null) => void;
  element: HTMLElement | null;
  scrollToIndex: (index: number) => void;
}

/** `headHeight`: the sticky header inside the scroller, which covers the top of the viewport. */
export function useRowWindow(count: number, rowHeight: number, headHeight: number): RowWindowHook {
  const [element, setElement] = useState<HTMLElement | null>(null);
  const [metrics, setMetrics] = useState<Metrics>({ scrollTop: 0, clientHeight: 0 });
  const shape = useRef({ count, rowHeight, headHeight });

  // a scroll re-renders only when it changes what is rendered (in a plain spacer, when a row
  // boundary is crossed), and synchronously, so no frame paints rows that are not there yet
  useEffect(() => {
    if (!element) return;
    const read = () => {
      const next = { scrollTop: element.scrollTop, clientHeight: element.clientHeight };
      const { count: n, rowHeight: h, headHeight: head } = shape.current;
      setMetrics((prev) =>
        sameWindow(rowWindow(geometry(n, h, head, prev), prev.scrollTop), rowWindow(geometry(n, h, head, next), next.scrollTop)) &&
        (prev.clientHeight || FALLBACK_VIEWPORT) === (next.clientHeight || FALLBACK_VIEWPORT)
          ? prev
          : next,
      );
    };
    read();
    const onScroll = () => flushSync(read);
    element.addEventListener("scroll", onScroll, { passive: true });
    const resize = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(read);
    resize?.observe(element);
    return () => {
      element.removeEventListener("scroll", onScroll);
      resize?.disconnect();
    };
  }, [element]);

  // rows arriving change a capped spacer's scale: the scroll position moves with it, so the
  // rows on screen stay where they are
  useLayoutEffect(() => {
    const before = shape.current;
    shape.current = { count, rowHeight, headHeight };
    if (!element || before.count === count) return;
    const now = { scrollTop: element.scrollTop, clientHeight: element.clientHeight };
    const offset = offsetAt(geometry(before.count, rowHeight, headHeight, now), now.scrollTop);
    const g = geometry(count, rowHeight, headHeight, now);
    const target = offset / ratio(g);
    if (Math.abs(target - now.scrollTop) >= 1) {
      element.scrollTop = Math.round(target);
      setMetrics({ scrollTop: element.scrollTop, clientHeight: now.clientHeight });
    }
  }, [element, count, rowHeight, headHeight]);

  const scrollToIndex = useCallback(
    (index: number) => {
      if (!element) return;
      const m = { scrollTop: element.scrollTop, clientHeight: element.clientHeight };
      const target = scrollTopToShow(geometry(count, rowHeight, headHeight, m), m.scrollTop, index);
      if (target !== null) element.scrollTop = target;
    },
    [element, count, rowHeight, headHeight],
  );

  return { ...rowWindow(geometry(count, rowHeight, headHeight, metrics), metrics.scrollTop), ref: setElement, element, scrollToIndex };
}
