"use client";

import { X } from "lucide-react";
import { useTranslations } from "next-intl";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";

// Toasts: "your action completed" notices. No toast library is installed and
// @radix-ui/react-toast is not among our Radix packages (dependencies are frozen
// while another change installs packages), so this is a small live region of
// our own, with the properties Radix's toast would give us:
// - one region, always in the page, role=status + aria-live=polite, so screen
//   readers announce a new toast without interrupting;
// - a toast never takes focus; its dismiss button is reachable by keyboard;
// - it closes by itself after TOAST_MS, but not while hovered or focused
//   (WCAG 2.2.1: the user can keep it for as long as they need);
// - the fade-in runs only without prefers-reduced-motion (motion-safe:).

const TOAST_MS = 6000;
const MAX_TOASTS = 3;

type ToastItem = { id: number; message: string };
type ToastApi = { show: (message: string) => void };

const ToastContext = createContext<ToastApi | null>(null);

/** Shows a toast. Outside a ToastProvider (a test rendering one component) it does nothing. */
export const useToast = (): ToastApi => useContext(ToastContext) ?? NOOP;
const NOOP: ToastApi = { show: () => undefined };

const Toast = ({ item, onDismiss }: { item: ToastItem; onDismiss: (id: number) => void }) => {
  const t = useTranslations("toast");
  const [held, setHeld] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    if (held) return undefined;
    timer.current = setTimeout(() => onDismiss(item.id), TOAST_MS);
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, [held, item.id, onDismiss]);
  return (
    <div
      data-testid="toast"
      // @starting-style (Tailwind's starting:) fades a new toast in without a state flip; motion-safe: only.
      className="pointer-events-auto flex items-start gap-3 rounded-md border border-success/30 bg-success-soft px-4 py-3 text-sm text-success opacity-100 shadow-md motion-safe:transition-opacity motion-safe:duration-200 motion-safe:starting:opacity-0"
      onMouseEnter={() => setHeld(true)}
      onMouseLeave={() => setHeld(false)}
      onFocus={() => setHeld(true)}
      onBlur={() => setHeld(false)}
    >
      <p className="min-w-0 flex-1 break-words">{item.message}</p>
      <button
        type="button"
        aria-label={t("dismiss")}
        className="-m-1 inline-flex size-6 shrink-0 items-center justify-center rounded-sm hover:bg-success/10 focus-visible:outline-2 focus-visible:outline-ring"
        onClick={() => onDismiss(item.id)}
      >
        <X aria-hidden="true" className="size-4" />
      </button>
    </div>
  );
};

/** Holds the toasts of the page and renders their live region (bottom right; full width on a phone). */
export const ToastProvider = ({ children }: { children: ReactNode }) => {
  const [items, setItems] = useState<ToastItem[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setItems((xs) => xs.filter((x) => x.id !== id)), []);
  const api = useMemo<ToastApi>(
    () => ({
      show: (message) => {
        const id = next.current++;
        setItems((xs) => [...xs, { id, message }].slice(-MAX_TOASTS));
      },
    }),
    [],
  );
  return (
    <ToastContext.Provider value={api}>
      {children}
      {/* A live region without the status role: an empty role=status on every page would be one more
          "status" beside the page's own (tests and assistive tech look those up by role). */}
      <div
        aria-live="polite"
        aria-relevant="additions text"
        data-testid="toast-region"
        className="pointer-events-none fixed inset-x-4 bottom-4 z-50 flex flex-col gap-2 sm:left-auto sm:w-96"
      >
        {items.map((item) => (
          <Toast key={item.id} item={item} onDismiss={dismiss} />
        ))}
      </div>
    </ToastContext.Provider>
  );
};
