"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useCallback } from "react";
import { monthResetAt } from "~/lib/usage-month";

/** Reasons the server may use for the same situation as one of ours. */
const ALIASES: Record<string, string> = { unauthenticated: "unauthorized", crossOrigin: "forbidden", roleTooLow: "forbidden", internalError: "generic" };

/**
 * A chat failure's stable reason (an LLM error reason, turnInProgress,
 * rateLimited, personaDisabled, …) as a sentence that says what happened and
 * what to do. Unknown reasons fall back to the generic one, never to the key.
 */
export const useReasonMessage = () => {
  const t = useTranslations("chat.reasons");
  const format = useFormatter();
  return useCallback(
    (raw: string | null | undefined, retryAfterSeconds?: number | null): string => {
      const reason = raw ? (ALIASES[raw] ?? raw) : raw;
      if (reason === "rateLimited") return t("rateLimited", { seconds: retryAfterSeconds ?? 60 });
      if (reason === "tokenBudgetExhausted") {
        // The server's Retry-After is the time to the monthly reset; without it, the next UTC month.
        const resetsAt = retryAfterSeconds ? new Date(Date.now() + retryAfterSeconds * 1000) : monthResetAt(new Date());
        return t("tokenBudgetExhausted", { date: format.dateTime(resetsAt, { dateStyle: "long", timeZone: "UTC" }) });
      }
      if (reason && t.has(reason as "generic")) return t(reason as "generic");
      return t("generic");
    },
    [t, format],
  );
};
