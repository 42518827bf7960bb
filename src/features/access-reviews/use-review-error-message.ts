"use client";

import { TRPCClientError } from "@trpc/client";
import { useTranslations } from "next-intl";
import { useCallback } from "react";
import { useErrorMessage } from "~/components/hooks/use-error-message";

/**
 * Errors of access-review actions: the review's own reasons (and the shared
 * ones that read differently in a review, like lastOwner) from
 * accessReviews.errors, anything else through the shared errors.<reason>.
 */
export const useReviewErrorMessage = () => {
  const t = useTranslations("accessReviews.errors");
  const generic = useErrorMessage();
  return useCallback(
    (err: unknown): string => {
      const reason = err instanceof TRPCClientError ? ((err.data as { reason?: string | null } | undefined)?.reason ?? null) : null;
      if (reason && t.has(reason as "reviewNotOpen")) return t(reason as "reviewNotOpen");
      return generic(err);
    },
    [t, generic],
  );
};
