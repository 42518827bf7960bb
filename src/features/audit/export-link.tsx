"use client";

import { useTranslations } from "next-intl";
import { useState, type MouseEvent, type ReactNode } from "react";

/** `filename="…"` of a Content-Disposition header (the plain one; the server also sends it ASCII-safe). */
const filenameOf = (disposition: string | null): string | null => /filename="([^"]+)"/.exec(disposition ?? "")?.[1] ?? null;

const STATUS_REASONS: Record<number, string> = { 400: "invalidInput", 401: "unauthorized", 403: "forbidden", 404: "notFound", 429: "rateLimited" };

/** The refusal's stable reason (`{ error: { reason } }`, else implied by the status) and Retry-After. */
const refusalOf = async (res: Response): Promise<{ reason: string; seconds: number }> => {
  const body = (await res.json().catch(() => null)) as { error?: { reason?: unknown } } | null;
  const reason = typeof body?.error?.reason === "string" ? body.error.reason : (STATUS_REASONS[res.status] ?? "generic");
  const seconds = Number(res.headers.get("retry-after"));
  return { reason, seconds: Number.isFinite(seconds) && seconds > 0 ? seconds : 60 };
};

/**
 * An audit export download (workspace or platform). Still a plain link — it
 * works without JavaScript and is a link to keyboards and screen readers — but
 * a plain click fetches the file so a refusal (429 rate limit with
 * Retry-After, an expired session, a bad filter) is shown as a localised
 * message next to it instead of a failed download; the file is then saved
 * under the server's name. Modified clicks (new tab, save as) stay the
 * browser's.
 */
export const ExportLink = ({ href, className, children }: { href: string; className?: string; children: ReactNode }) => {
  const t = useTranslations("errors");
  const tc = useTranslations("common");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const download = async (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    if (pending) return;
    setPending(true);
    setError(null);
    try {
      const res = await fetch(href, { credentials: "same-origin", cache: "no-store" });
      if (!res.ok) {
        const { reason, seconds } = await refusalOf(res);
        setError(reason === "rateLimited" ? t("rateLimited", { seconds }) : t.has(reason as "generic") ? t(reason as "generic") : t("generic"));
        return;
      }
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement("a");
      a.href = url;
      a.download = filenameOf(res.headers.get("content-disposition")) ?? "audit-export";
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch {
      setError(t("generic"));
    } finally {
      setPending(false);
    }
  };

  return (
    <span className="inline-flex flex-col items-start gap-1">
      <a href={href} download onClick={(e) => void download(e)} aria-busy={pending} className={className}>
        {children}
        {pending ? <span className="sr-only">{tc("working")}</span> : null}
      </a>
      {error ? (
        <span role="alert" className="max-w-xs text-xs text-danger">
          {error}
        </span>
      ) : null}
    </span>
  );
};
