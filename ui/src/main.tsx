import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { App } from "./app/App";
import { ProtectionProvider } from "./app/protection";
import { SessionProvider } from "./app/session";
import { ToastProvider } from "./app/toasts";
import { TooltipLayer } from "./components/Tooltips";
import "./styles.css";

// Local data: no refetch on focus; a failed command is not retried (its error is the answer).
const client = new QueryClient({
  defaultOptions: { queries: { refetchOnWindowFocus: false, retry: false, staleTime: 30_000 } },
});

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={client}>
        <ToastProvider>
          <SessionProvider>
            <ProtectionProvider>
              <App />
              <TooltipLayer />
            </ProtectionProvider>
          </SessionProvider>
        </ToastProvider>
      </QueryClientProvider>
    </StrictMode>,
  );
}
