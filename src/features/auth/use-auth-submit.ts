"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import type { AuthResult } from "./auth-client";
import { useAuthErrorMessage } from "./use-auth-error";

/**
 * Pending and error state for a form that calls an Auth.js endpoint: runs the
 * attempt, hands a success to `onSuccess` (which navigates away, so the form
 * stays disabled), and otherwise shows a localised error.
 */
export const useAuthSubmit = (opts: { credentials: boolean }) => {
  const te = useTranslations("auth.errors");
  const authError = useAuthErrorMessage();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (attempt: () => Promise<AuthResult>, onSuccess: () => void) => {
    setPending(true);
    setError(null);
    try {
      const result = await attempt();
      if (result.ok) return onSuccess();
      setError(authError(result, opts));
    } catch {
      setError(te("network"));
    }
    setPending(false);
  };

  return { pending, error, submit };
};
