import { render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { SCREENS } from "./screens";
import { Sidebar } from "./Sidebar";

afterEach(() => {
  // @ts-expect-error: jsdom has none; the test gave it one
  delete HTMLElement.prototype.scrollIntoView;
});

describe("sidebar", () => {
  it("offers every screen, marks the current one and keeps it in view as the screen changes", () => {
    const scrolled: string[] = [];
    HTMLElement.prototype.scrollIntoView = vi.fn(function (this: HTMLElement) {
      scrolled.push(this.dataset.testid ?? "");
    });
    const { rerender } = render(<Sidebar current="dashboard" />);
    expect(SCREENS.every((s) => screen.getByTestId(`nav-${s.id}`).getAttribute("href") === `#/${s.id}`)).toBe(true);
    expect(screen.getByTestId("nav-dashboard").getAttribute("aria-current")).toBe("page");
    // the last entry, which a short window puts past the bottom edge, is brought into view
    rerender(<Sidebar current="configuration" />);
    expect(screen.getByTestId("nav-configuration").getAttribute("aria-current")).toBe("page");
    expect(screen.getByTestId("nav-dashboard").getAttribute("aria-current")).toBeNull();
    expect(scrolled).toEqual(["nav-dashboard", "nav-configuration"]);
    expect(screen.getByRole("navigation", { name: "Screens" }).textContent).toContain("Settings");
  });
});
