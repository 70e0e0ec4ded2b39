// A revealed secret does not stay on screen: it hides by itself, and Copy is offered.
import { act, fireEvent, screen } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it, vi } from "vitest";

import { mockBackend, renderWithProviders } from "../../test/ipc";
import { REVEAL_SECONDS, SecretCell } from "./ConfigScreen";

const SESSION = {
  database: "sqlite:///tmp/test.db",
  backend: "sqlite",
  operator: { email: "admin@corp.test", role: "admin" },
  read_only_reason: null,
  keyring_problem: null,
  app_session_id: "abc",
  origin: { kind: "ours" },
  grants: [{ permission: "reveal_secrets", allowed: true, required_role: "admin", reason: null }],
};

afterEach(() => {
  vi.useRealTimers();
  clearMocks();
});

describe("a revealed secret", () => {
  it("shows with Copy and a countdown, and hides again by itself", async () => {
    vi.useFakeTimers();
    const calls = mockBackend((cmd) => (cmd === "session_info" ? SESSION : cmd === "config_reveal" ? { value: "s3cret-value" } : null));
    renderWithProviders(<SecretCell row={{ category: "graph", key: "client_secret" }} />);
    const reveal = screen.getByTestId("reveal-graph.client_secret") as HTMLButtonElement;
    await act(async () => {
      await vi.advanceTimersByTimeAsync(10);
    });
    expect(reveal.disabled).toBe(false);
    fireEvent.click(reveal);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(10);
    });
    expect(calls.find((c) => c.cmd === "config_reveal")?.args).toEqual({ path: "graph.client_secret" });
    expect(screen.getByTestId("revealed-graph.client_secret").textContent).toBe("s3cret-value");
    expect(screen.getByTestId("copy-graph.client_secret")).toBeTruthy();
    expect(screen.getByText(`Hide (${REVEAL_SECONDS})`)).toBeTruthy();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(10_000);
    });
    expect(screen.getByText(`Hide (${REVEAL_SECONDS - 10})`)).toBeTruthy();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(REVEAL_SECONDS * 1000);
    });
    expect(screen.queryByTestId("revealed-graph.client_secret")).toBeNull();
    expect(screen.queryByText("s3cret-value")).toBeNull();
  });
});
