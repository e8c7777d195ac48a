// Owns the toasts: short confirmations and errors in the window's corner, read out by screen
// readers (errors assertively), dismissed by themselves or by their close button.

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useI18n } from "../i18n";
import { errorMessage } from "../lib/errors";
import { Icon } from "./Icon";

export type ToastKind = "success" | "error" | "info";
interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
}

export interface Toaster {
  success: (message: string) => void;
  error: (message: string) => void;
  info: (message: string) => void;
  /** Shows what a failed command said (its `message`, never a stack) and returns it. */
  fail: (e: unknown) => string;
}

const ToastContext = createContext<Toaster>({ success: () => undefined, error: () => undefined, info: () => undefined, fail: () => "" });

export function useToast(): Toaster {
  return useContext(ToastContext);
}

const LIFETIME: Record<ToastKind, number> = { success: 3500, info: 5000, error: 8000 };

export function ToastProvider({ children }: { children: ReactNode }) {
  const { t, tn } = useI18n();
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());

  const dismiss = useCallback((id: number) => {
    setToasts((list) => list.filter((t) => t.id !== id));
    const timer = timers.current.get(id);
    if (timer !== undefined) clearTimeout(timer);
    timers.current.delete(id);
  }, []);

  const push = useCallback(
    (kind: ToastKind, message: string) => {
      const id = next.current++;
      // The same message twice in a row shows once.
      setToasts((list) => [...list.filter((t) => t.message !== message), { id, kind, message }].slice(-4));
      timers.current.set(
        id,
        setTimeout(() => dismiss(id), LIFETIME[kind]),
      );
    },
    [dismiss],
  );

  useEffect(() => {
    const map = timers.current;
    return () => map.forEach((timer) => clearTimeout(timer));
  }, []);

  const toaster = useMemo<Toaster>(
    () => ({
      success: (m) => push("success", m),
      error: (m) => push("error", m),
      info: (m) => push("info", m),
      fail: (e) => {
        const message = errorMessage(e, t("error.generic"), t, tn);
        push("error", message);
        return message;
      },
    }),
    [push, t, tn],
  );

  return (
    <ToastContext.Provider value={toaster}>
      {children}
      <ToastList toasts={toasts} dismiss={dismiss} />
    </ToastContext.Provider>
  );
}

function ToastList({ toasts, dismiss }: { toasts: Toast[]; dismiss: (id: number) => void }) {
  const { t } = useI18n();
  return (
    <div className="toasts" aria-live="polite" aria-relevant="additions">
      {toasts.map((toast) => (
        <div
          key={toast.id}
          className={`toast toast-${toast.kind}`}
          role={toast.kind === "error" ? "alert" : "status"}
          data-testid="toast"
          data-kind={toast.kind}
        >
          <Icon name={toast.kind === "error" ? "alert" : toast.kind === "success" ? "check" : "info"} />
          <span className="toast-text">{toast.message}</span>
          <button type="button" className="icon-button toast-close" aria-label={t("common.dismiss")} onClick={() => dismiss(toast.id)}>
            <Icon name="x" size={14} />
          </button>
        </div>
      ))}
    </div>
  );
}
