// The production band: shown with the profile's name in its colour while a production
// connection is open, and not otherwise.
import { render, screen, waitFor } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";

import { mockBackend } from "../test/ipc";
import { Header } from "./Header";
import { ProtectionProvider, useProtection } from "./protection";

function Loaded() {
  return <span data-testid="loaded">{useProtection()?.name}</span>;
}

function renderHeader(production: boolean) {
  mockBackend((cmd) => {
    if (cmd === "list_connections")
      return [
        {
          profile: {
            id: "p",
            name: "HR",
            target: { kind: "postgres", host: "db", port: 5432, database: "hr", user: "u", tls: "require" },
            operator: null,
            production,
            colour: "#ffeb3b",
            read_only: true,
          },
          active: true,
          database_name: "hr",
        },
      ];
    return new Promise(() => {});
  });
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <ProtectionProvider>
        <Loaded />
        <Header onPalette={() => {}} onAbout={() => {}} onRefresh={() => {}} onZone={() => {}} />
      </ProtectionProvider>
    </QueryClientProvider>,
  );
}

afterEach(() => clearMocks());

describe("header", () => {
  it("shows a production connection in a band of its colour", async () => {
    renderHeader(true);
    const band = await screen.findByTestId("production-band");
    expect(band.textContent).toBe("PRODUCTION — HR · read-only");
    expect(band.style.background).toBe("rgb(255, 235, 59)");
    // black text on a light band
    expect(band.style.color).toBe("rgb(0, 0, 0)");
  });

  it("shows no band for a connection that is not production", async () => {
    renderHeader(false);
    await waitFor(() => expect(screen.getByTestId("loaded").textContent).toBe("HR"));
    expect(screen.queryByTestId("production-band")).toBeNull();
  });
});
