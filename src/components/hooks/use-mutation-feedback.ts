"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { useToast } from "~/components/ui/toast";
import { useRouter } from "~/i18n/navigation";
import { useErrorMessage } from "./use-error-message";

/**
 * The usual outcome of a button's mutation: on success announce it in a toast
 * (`success`, else a generic "Done.") and refresh the server-rendered page; on
 * failure keep a localised error to show beside the button.
 * Pass `handlers` to `mutationOptions(...)`.
 */
export const useMutationFeedback = ({ success }: { success?: string } = {}) => {
  const errorMessage = useErrorMessage();
  const router = useRouter();
  const toast = useToast();
  const t = useTranslations("toast");
  const [error, setError] = useState<string | null>(null);
  return {
    error,
    clearError: () => setError(null),
    handlers: {
      onSuccess: () => {
        toast.show(success ?? t("done"));
        router.refresh();
      },
      onError: (err: unknown) => setError(errorMessage(err)),
    },
  };
};
