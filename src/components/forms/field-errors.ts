"use client";

import { TRPCClientError } from "@trpc/client";
import { useTranslations } from "next-intl";
import { useCallback } from "react";
import { useErrorMessage } from "~/components/hooks/use-error-message";

/**
 * The input fields a BAD_REQUEST named (the server's flattened zod error), so a
 * form can mark them and say what is wrong next to them. Empty for any other error.
 */
export const fieldErrorsOf = (err: unknown): Set<string> => {
  if (!(err instanceof TRPCClientError)) return new Set();
  const data = (err.data ?? null) as { zodError?: { fieldErrors?: Record<string, unknown> } | null } | null;
  return new Set(Object.keys(data?.zodError?.fieldErrors ?? {}));
};

/** The stable reason (AppError) behind a tRPC error, if the server sent one. */
export const reasonOfClientError = (err: unknown): string | null =>
  err instanceof TRPCClientError ? (((err.data ?? null) as { reason?: string | null } | null)?.reason ?? null) : null;

/**
 * A localised sentence for a failed mutation: the feature's own wording for
 * its reasons (meetings.reasons / tasks.reasons), else the shared errors.
 */
export const useFeatureErrorMessage = (namespace: "meetings.reasons" | "tasks.reasons") => {
  const t = useTranslations(namespace);
  const fallback = useErrorMessage();
  return useCallback(
    (err: unknown): string => {
      const reason = reasonOfClientError(err);
      return reason && t.has(reason as "generic") ? t(reason as "generic") : fallback(err);
    },
    [t, fallback],
  );
};
