// Tooltips stay inside the window: placed below or above the element and shifted off the edges;
// the element's title is held while its tooltip shows, so the native one does not show too.
import { act, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { TIP_DELAY_MS, TooltipLayer, placeTip } from "./Tooltips";

const VIEW = { width: 1100, height: 720 };

describe("placeTip", () => {
  it("centres a tooltip below its element when it fits", () => {
    expect(placeTip({ left: 500, top: 100, width: 100, height: 20 }, { width: 160, height: 24 }, VIEW)).toEqual({
      left: 470,
      top: 126,
      side: "below",
    });
  });

  it("shifts a tooltip off the window's left and right edges", () => {
    // a disabled button at the very left, with a long reason
    expect(placeTip({ left: 0, top: 100, width: 30, height: 20 }, { width: 300, height: 24 }, VIEW).left).toBe(4);
    expect(placeTip({ left: 1080, top: 100, width: 20, height: 20 }, { width: 300, height: 24 }, VIEW).left).toBe(1100 - 4 - 300);
    // wider than the window: from its left margin (its CSS max-width keeps it inside)
    expect(placeTip({ left: 10, top: 100, width: 20, height: 20 }, { width: 1200, height: 24 }, VIEW).left).toBe(4);
  });

  it("flips above an element at the bottom, and stays inside when it fits neither way", () => {
    expect(placeTip({ left: 500, top: 690, width: 40, height: 20 }, { width: 100, height: 30 }, VIEW)).toEqual({
      left: 470,
      top: 654,
      side: "above",
    });
    // 700 px tall: more room below, moved up until its bottom is inside
    expect(placeTip({ left: 500, top: 300, width: 40, height: 20 }, { width: 100, height: 700 }, VIEW)).toEqual({
      left: 470,
      top: 16,
      side: "below",
    });
  });
});

describe("tooltip layer", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  function setup() {
    vi.useFakeTimers();
    render(
      <>
        <TooltipLayer />
        <button title="Requires the admin role" data-testid="target">
          <span data-testid="inner">Add user</span>
        </button>
        <p data-testid="elsewhere">elsewhere</p>
      </>,
    );
    const target = screen.getByTestId("target");
    // at the window's left edge
    target.getBoundingClientRect = () => ({ left: 0, top: 40, width: 60, height: 22, right: 60, bottom: 62, x: 0, y: 40, toJSON: () => ({}) });
    vi.spyOn(HTMLElement.prototype, "offsetWidth", "get").mockReturnValue(240);
    vi.spyOn(HTMLElement.prototype, "offsetHeight", "get").mockReturnValue(24);
    return target;
  }

  it("shows the title in the window after a pause, inside its left edge, and gives the title back", async () => {
    const target = setup();
    fireEvent.mouseOver(screen.getByTestId("inner"));
    // held: no native tooltip meanwhile
    expect(target.hasAttribute("title")).toBe(false);
    expect(screen.queryByRole("tooltip")).toBeNull();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(TIP_DELAY_MS);
    });
    const tip = screen.getByRole("tooltip");
    expect(tip.textContent).toBe("Requires the admin role");
    expect(tip.style.left).toBe("4px");
    expect(tip.style.top).toBe("68px");
    expect(tip.style.visibility).toBe("visible");
    // moving within the element keeps it
    fireEvent.mouseOut(screen.getByTestId("inner"), { relatedTarget: target });
    expect(screen.getByRole("tooltip")).toBeTruthy();
    fireEvent.mouseOut(target, { relatedTarget: screen.getByTestId("elsewhere") });
    expect(screen.queryByRole("tooltip")).toBeNull();
    expect(target.getAttribute("title")).toBe("Requires the admin role");
    expect(target.hasAttribute("data-tip")).toBe(false);
  });

  it("follows a title the page changes while it shows, and hides on a click", async () => {
    const target = setup();
    fireEvent.mouseOver(target);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(TIP_DELAY_MS);
    });
    await act(async () => {
      target.setAttribute("title", "Hides by itself in 12 s");
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(screen.getByRole("tooltip").textContent).toBe("Hides by itself in 12 s");
    expect(target.hasAttribute("title")).toBe(false);
    fireEvent.mouseDown(target);
    expect(screen.queryByRole("tooltip")).toBeNull();
    fireEvent.mouseOut(target, { relatedTarget: document.body });
    expect(target.getAttribute("title")).toBe("Hides by itself in 12 s");
  });

  it("shows a data-tip (SVG bars) without touching it", async () => {
    vi.useFakeTimers();
    const { container } = render(
      <>
        <TooltipLayer />
        <svg>
          <rect data-tip="2026-11-24: 100" />
        </svg>
      </>,
    );
    const bar = container.querySelector("rect")!;
    fireEvent.mouseOver(bar);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(TIP_DELAY_MS);
    });
    expect(screen.getByRole("tooltip").textContent).toBe("2026-11-24: 100");
    fireEvent.mouseOut(bar, { relatedTarget: document.body });
    expect(bar.getAttribute("data-tip")).toBe("2026-11-24: 100");
    expect(bar.hasAttribute("title")).toBe(false);
  });
});
