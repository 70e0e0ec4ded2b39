// Short-lived result and error messages in the corner; errors stay until dismissed.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";

import { AppError } from "../api";

interface Toast {
  id: number;
  text: string;
  error: boolean;
}

interface Toaster {
  ok: (text: string) => void;
  error: (e: unknown) => void;
}

const ToastContext = createContext<Toaster>({ ok: () => {}, error: () => {} });
let nextId = 1;

export function errorText(e: unknown): string {
  if (e instanceof AppError) return e.message;
  return e instanceof Error ? e.message : String(e);
}

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: number) => setToasts((ts) => ts.filter((t) => t.id !== id)), []);
  const push = useCallback(
    (text: string, error: boolean) => {
      const id = nextId++;
      setToasts((ts) => [...ts.slice(-4), { id, text, error }]);
      if (!error) setTimeout(() => dismiss(id), 4000);
    },
    [dismiss],
  );
  const toaster = useMemo(
    () => ({ ok: (text: string) => push(text, false), error: (e: unknown) => push(errorText(e), true) }),
    [push],
  );
  return (
    <ToastContext.Provider value={toaster}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={t.error ? "toast toast-error" : "toast"} data-testid="toast">
            <span>{t.text}</span>
            <button aria-label="Dismiss" onClick={() => dismiss(t.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast(): Toaster {
  return useContext(ToastContext);
}
