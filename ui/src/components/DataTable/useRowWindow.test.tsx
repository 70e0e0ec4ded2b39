import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { MAX_SPACER, OVERSCAN, rowWindow, scrollTopToShow, useRowWindow, type Geometry } from "./useRowWindow";

const H = 34;
const plain: Geometry = { count: 1000, rowHeight: H, viewport: 340 };
/** Where row `i` sits relative to the viewport's top, at this scrollTop. */
const onScreen = (g: Geometry, scrollTop: number, i: number) => i * H + rowWindow(g, scrollTop).shift - scrollTop;

describe("rowWindow", () => {
  it("at the top renders the first screenful and the overscan below it", () => {
    expect(rowWindow(plain, 0)).toEqual({ first: 0, last: 9 + OVERSCAN, height: 1000 * H, shift: 0, atTop: true });
  });

  it("in the middle renders the rows in view with overscan on both sides", () => {
    const w = rowWindow(plain, 500 * H + 10);
    expect([w.first, w.last, w.shift, w.atTop]).toEqual([500 - OVERSCAN, 510 + OVERSCAN, 0, false]);
  });

  it("at the end stops at the last row", () => {
    const w = rowWindow(plain, 1000 * H - 340);
    expect([w.first, w.last]).toEqual([990 - OVERSCAN, 999]);
  });

  it("counts as at the top within one row of it", () => {
    expect(rowWindow(plain, H - 1).atTop).toBe(true);
    expect(rowWindow(plain, H).atTop).toBe(false);
  });

  it("has no rows to render when there are none", () => {
    const w = rowWindow({ ...plain, count: 0 }, 0);
    expect(w.last).toBeLessThan(w.first);
    expect(w.height).toBe(0);
  });

  describe("past the spacer's cap", () => {
    const big: Geometry = { count: 10_000_000, rowHeight: H, viewport: 500 };
    const max = MAX_SPACER - big.viewport;

    it("caps the spacer and puts the first row at scrollTop 0", () => {
      const w = rowWindow(big, 0);
      expect(w.height).toBe(MAX_SPACER);
      expect(w.first).toBe(0);
      expect(onScreen(big, 0, 0)).toBe(0);
    });

    it("reaches the last row, flush with the viewport's bottom, at the end of the scroll range", () => {
      const w = rowWindow(big, max);
      expect(w.last).toBe(big.count - 1);
      expect(onScreen(big, max, big.count - 1) + H).toBe(big.viewport);
      // and nothing is placed past the spacer's end
      expect(w.last * H + w.shift + H).toBeLessThanOrEqual(w.height);
    });

    it("maps the scroll range proportionally and keeps rows edge to edge", () => {
      const w = rowWindow(big, max / 2);
      const middle = (big.count * H - big.viewport) / 2 / H;
      expect(w.first).toBeLessThanOrEqual(middle);
      expect(w.last).toBeGreaterThanOrEqual(middle);
      expect(w.last - w.first).toBeLessThanOrEqual(Math.ceil(big.viewport / H) + 2 * OVERSCAN + 1);
      expect(onScreen(big, max / 2, w.first + 1) - onScreen(big, max / 2, w.first)).toBe(H);
    });

    it("works out more rows than an array can hold, so nothing is sized by the count", () => {
      const huge: Geometry = { ...big, count: 2 ** 33 };
      const w = rowWindow(huge, MAX_SPACER - huge.viewport);
      expect(w.last).toBe(2 ** 33 - 1);
      expect(w.last - w.first).toBeLessThan(50);
    });

    it("scrolls a row into view, whole, from above and from below", () => {
      const at = max / 3;
      const row = rowWindow(big, at).first + OVERSCAN + 3;
      const up = scrollTopToShow(big, at, row - 40)!;
      expect(onScreen(big, up, row - 40)).toBeGreaterThanOrEqual(0);
      expect(onScreen(big, up, row - 40)).toBeLessThan(2 * H);
      const down = scrollTopToShow(big, at, row + 40)!;
      expect(onScreen(big, down, row + 40) + H).toBeLessThanOrEqual(big.viewport);
      expect(onScreen(big, down, row + 40)).toBeGreaterThan(big.viewport - 3 * H);
      expect(scrollTopToShow(big, at, row)).toBeNull();
    });
  });
});

function Rows({ count }: { count: number }) {
  const w = useRowWindow(count, H, 0);
  const rows = [];
  for (let i = w.first; i <= w.last; i++) rows.push(<div key={i} data-testid="r" style={{ top: i * H + w.shift }} />);
  return (
    <div ref={w.ref} data-testid="scroller" data-top={String(w.atTop)}>
      <div data-testid="spacer" style={{ height: w.height }}>
        {rows}
      </div>
      <button onClick={() => w.scrollToIndex(count - 1)}>last</button>
    </div>
  );
}

describe("useRowWindow", () => {
  it("renders the rows around the scroll position and follows scrolling", () => {
    // the test setup gives every element a 600 px client height
    render(<Rows count={100_000} />);
    expect(screen.getAllByTestId("r")).toHaveLength(Math.ceil(600 / H) + OVERSCAN);
    const scroller = screen.getByTestId("scroller");
    scroller.scrollTop = 50_000 * H;
    fireEvent.scroll(scroller);
    const tops = screen.getAllByTestId("r").map((r) => parseInt(r.style.top, 10));
    expect(tops[0]).toBe((50_000 - OVERSCAN) * H);
    expect(scroller.dataset.top).toBe("false");
  });

  it("caps the spacer and scrolls the last row into view", () => {
    render(<Rows count={10_000_000} />);
    expect(screen.getByTestId("spacer").style.height).toBe(`${MAX_SPACER}px`);
    fireEvent.click(screen.getByText("last"));
    const scroller = screen.getByTestId("scroller");
    expect(scroller.scrollTop).toBe(MAX_SPACER - 600);
    fireEvent.scroll(scroller);
    const last = screen.getAllByTestId("r").at(-1)!;
    expect(parseInt(last.style.top, 10) + H).toBe(MAX_SPACER);
  });
});
