"use client";

import { TRPCClientError } from "@trpc/client";
import { useTranslations } from "next-intl";
import { useCallback } from "react";

type ErrorData = { code?: string; reason?: string | null; retryAfterSeconds?: number | null; params?: Record<string, string | number> | null };

const dataOf = (err: unknown): ErrorData | null => {
  if (err instanceof TRPCClientError) return (err.data ?? null) as ErrorData | null;
  return null;
};

/**
 * Turns any error from a tRPC mutation into a localised sentence:
 * `errors.<reason>` when the server sent a known reason, else a code-based or generic message.
 */
export const useErrorMessage = () => {
  const t = useTranslations("errors");
  return useCallback(
    (err: unknown): string => {
      const data = dataOf(err);
      const reason = data?.reason ?? null;
      const seconds = data?.retryAfterSeconds ?? 60;
      // Admission control: the workspace's queued + running meetings/tasks are at the bound (services/admission).
      if (reason === "workQueueFull" && data?.params) {
        const p = data.params;
        return t("workQueueFull", { kind: String(p.kind ?? "task"), inProgress: Number(p.inProgress ?? 0), limit: Number(p.limit ?? 0) });
      }
      if (reason === "rateLimited" || data?.code === "TOO_MANY_REQUESTS") return t("rateLimited", { seconds });
      if (reason && t.has(reason as "generic")) return t(reason as "generic");
      if (data?.code === "UNAUTHORIZED") return t("unauthorized");
      if (data?.code === "FORBIDDEN") return t("forbidden");
      if (data?.code === "NOT_FOUND") return t("notFound");
      if (data?.code === "BAD_REQUEST") return t("invalidInput");
      return t("generic");
    },
    [t],
  );
};
