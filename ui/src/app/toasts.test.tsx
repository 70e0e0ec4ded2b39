// Toasts with an action (Undo): the button is reachable, runs once and only when pressed, and
// goes with the toast after ACTION_MS; a plain toast goes after TOAST_MS; an error stays.
import { act, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { ACTION_MS, TOAST_MS, ToastProvider, useToast } from "./toasts";
import { undoFailedText, useOfferUndo, type Undoable } from "./undo";

let toaster: ReturnType<typeof useToast>;
let offerUndo: (u: Undoable) => void;
function Grab() {
  toaster = useToast();
  offerUndo = useOfferUndo();
  return null;
}

const renderToasts = () =>
  render(
    <ToastProvider>
      <Grab />
    </ToastProvider>,
  );
const later = (ms: number) =>
  act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });

afterEach(() => vi.useRealTimers());

describe("toasts", () => {
  it("keeps a toast with an action for ACTION_MS, then removes it with its button", async () => {
    vi.useFakeTimers();
    renderToasts();
    const run = vi.fn();
    act(() => {
      toaster.ok("plain");
      toaster.ok("CSR1 now requires Phone", { action: { label: "Undo", run } });
    });
    const button = screen.getByTestId("toast-action");
    expect(button.tagName).toBe("BUTTON"); // reached with Tab, pressed with Enter or Space
    expect(button.textContent).toBe("Undo");
    await later(TOAST_MS + 10);
    expect(screen.queryByText("plain")).toBeNull();
    expect(screen.getByText("CSR1 now requires Phone")).toBeTruthy();
    await later(ACTION_MS - TOAST_MS);
    expect(screen.queryByText("CSR1 now requires Phone")).toBeNull();
    expect(screen.queryByTestId("toast-action")).toBeNull();
    expect(run).not.toHaveBeenCalled();
  });

  it("holds the toast while the keyboard focus is on its action, and runs it once when pressed", async () => {
    vi.useFakeTimers();
    renderToasts();
    const run = vi.fn();
    act(() => toaster.ok("done", { action: { label: "Undo", run } }));
    const button = screen.getByTestId("toast-action");
    act(() => button.focus());
    await later(ACTION_MS * 2);
    expect(screen.getByText("done")).toBeTruthy();
    fireEvent.click(button);
    expect(run).toHaveBeenCalledTimes(1);
    expect(screen.queryByText("done")).toBeNull();
  });

  it("keeps errors until dismissed", async () => {
    vi.useFakeTimers();
    renderToasts();
    act(() => toaster.error(new Error("it broke")));
    await later(ACTION_MS * 3);
    expect(screen.getByText("it broke")).toBeTruthy();
    fireEvent.click(screen.getByLabelText("Dismiss"));
    expect(screen.queryByText("it broke")).toBeNull();
  });
});

describe("offering Undo", () => {
  it("runs the inverse only when Undo is pressed, then says it was undone", async () => {
    renderToasts();
    const undo = vi.fn(() => Promise.resolve());
    const settled = vi.fn();
    act(() => offerUndo({ done: "ed is now viewer", undo, undone: "ed is editor again", onSettled: settled }));
    expect(undo).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole("button", { name: "Undo" }));
    expect(undo).toHaveBeenCalledTimes(1);
    await screen.findByText("Undone: ed is editor again");
    expect(settled).toHaveBeenCalledTimes(1);
  });

  it("says which change could not be undone, and why", async () => {
    renderToasts();
    const undo = () => Promise.reject(new Error("users #7 was changed by someone else"));
    act(() => offerUndo({ done: "ed is now viewer", undo, undone: "ed is editor again" }));
    fireEvent.click(screen.getByRole("button", { name: "Undo" }));
    const text = undoFailedText("ed is now viewer", new Error("users #7 was changed by someone else"));
    expect(text).toBe("Could not undo “ed is now viewer”: users #7 was changed by someone else");
    expect((await screen.findByText(text)).closest(".toast-error")).toBeTruthy();
  });
});
