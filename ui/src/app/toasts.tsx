// Short-lived result and error messages in the corner; errors stay until dismissed. A message may
// carry one action (Undo): a real button, reached with Tab, and the message then stays longer
// (ACTION_MS) and does not go while the pointer or the keyboard focus is on it.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";

import { AppError } from "../api";

/** How long a plain result stays. */
export const TOAST_MS = 4000;
/** How long a result with an action (Undo) stays, so there is time to reach it. */
export const ACTION_MS = 8000;

export interface ToastAction {
  /** The button's text ("Undo"). */
  label: string;
  /** Run once, when the button is pressed; the message goes at the same time. */
  run: () => void;
  /** Says what the button does, for its tooltip and screen readers. */
  title?: string;
}

interface Toast {
  id: number;
  text: string;
  error: boolean;
  action?: ToastAction;
}

interface Toaster {
  ok: (text: string, options?: { action?: ToastAction }) => void;
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
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());
  const dismiss = useCallback((id: number) => {
    clearTimeout(timers.current.get(id));
    timers.current.delete(id);
    setToasts((ts) => ts.filter((t) => t.id !== id));
  }, []);
  /** (Re)starts the time a result stays; errors have none. */
  const schedule = useCallback(
    (t: Toast) => {
      if (t.error) return;
      clearTimeout(timers.current.get(t.id));
      timers.current.set(
        t.id,
        setTimeout(() => dismiss(t.id), t.action ? ACTION_MS : TOAST_MS),
      );
    },
    [dismiss],
  );
  const hold = useCallback((id: number) => {
    clearTimeout(timers.current.get(id));
    timers.current.delete(id);
  }, []);
  const push = useCallback(
    (text: string, error: boolean, action?: ToastAction) => {
      const toast = { id: nextId++, text, error, action };
      setToasts((ts) => [...ts.slice(-4), toast]);
      schedule(toast);
    },
    [schedule],
  );
  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach((timer) => clearTimeout(timer));
  }, []);
  const toaster = useMemo(
    () => ({
      ok: (text: string, options?: { action?: ToastAction }) => push(text, false, options?.action),
      error: (e: unknown) => push(errorText(e), true),
    }),
    [push],
  );
  return (
    <ToastContext.Provider value={toaster}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((t) => (
          <div
            key={t.id}
            className={t.error ? "toast toast-error" : "toast"}
            data-testid="toast"
            // one who is reaching for the action keeps it until they leave
            onMouseEnter={t.action ? () => hold(t.id) : undefined}
            onMouseLeave={t.action ? () => schedule(t) : undefined}
            onFocus={t.action ? () => hold(t.id) : undefined}
            onBlur={
              t.action
                ? (e) => {
                    if (!e.currentTarget.contains(e.relatedTarget as Node | null)) schedule(t);
                  }
                : undefined
            }
          >
            <span>{t.text}</span>
            {t.action && (
              <button
                className="toast-action"
                title={t.action.title}
                data-testid="toast-action"
                onClick={() => {
                  dismiss(t.id);
                  t.action?.run();
                }}
              >
                {t.action.label}
              </button>
            )}
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
