"use client";

import { useState } from "react";
import { useRouter } from "~/i18n/navigation";
import { useErrorMessage } from "./use-error-message";

/**
 * The usual outcome of a button's mutation: on success refresh the
 * server-rendered page; on failure keep a localised error to show.
 * Pass `handlers` to `mutationOptions(...)`.
 */
export const useMutationFeedback = () => {
  const errorMessage = useErrorMessage();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  return {
    error,
    clearError: () => setError(null),
    handlers: { onSuccess: () => router.refresh(), onError: (err: unknown) => setError(errorMessage(err)) },
  };
};
