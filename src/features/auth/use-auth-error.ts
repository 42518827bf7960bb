"use client";

import { useTranslations } from "next-intl";
import { useCallback } from "react";
import type { AuthResult } from "./auth-client";

/** Localised text for a failed Auth.js call. */
export const useAuthErrorMessage = () => {
  const t = useTranslations("auth.errors");
  return useCallback(
    (result: Exclude<AuthResult, { ok: true }>, opts: { credentials: boolean }): string => {
      if (result.kind === "rateLimited") return t("tooManyAttempts", { seconds: result.retryAfterSeconds });
      if (result.kind === "unavailable") return t("rateLimiterUnavailable", { seconds: result.retryAfterSeconds });
      if (result.kind === "invalid") return t("invalidCredentials");
      if (result.kind === "unverified") return t("emailUnverified");
      // Any error on the credentials callback means the pair was refused.
      if (opts.credentials && result.code) return t("invalidCredentials");
      if (result.code && t.has(result.code as "default")) return t(result.code as "default");
      return t("default");
    },
    [t],
  );
};
