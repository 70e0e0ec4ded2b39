// Shared test plumbing: a mocked backend that records its calls, and the providers a screen needs.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import { mockIPC } from "@tauri-apps/api/mocks";
import type { ReactNode } from "react";

import { SessionProvider } from "../app/session";
import { ToastProvider } from "../app/toasts";

export type Call = { cmd: string; args: Record<string, unknown> };

/** Answers each command with `reply` (a value, a promise, or a thrown error) and records it. */
export function mockBackend(reply: (cmd: string, args: Record<string, unknown>) => unknown): Call[] {
  const calls: Call[] = [];
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: a });
    return reply(cmd, a);
  });
  return calls;
}

export function renderWithProviders(ui: ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const rendered = render(
    <QueryClientProvider client={client}>
      <ToastProvider>
        <SessionProvider>{ui}</SessionProvider>
      </ToastProvider>
    </QueryClientProvider>,
  );
  return { ...rendered, client };
}
