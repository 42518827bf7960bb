"use client";

import { useTranslations } from "next-intl";
import { useToast } from "~/components/ui/toast";
import { useRouter } from "~/i18n/navigation";
import { useErrorMessage } from "./use-error-message";

/**
 * The confirm step of a dialog: runs the action, then `after` (e.g. navigate),
 * announces it in a toast (`success`, else a generic "Done."), then refreshes
 * the server-rendered page; on failure returns the localised error for the
 * dialog to show instead of closing. A feature with its own reason texts
 * passes its own `messageOf`.
 */
export const useConfirmAction = (messageOf?: (err: unknown) => string, { success }: { success?: string } = {}) => {
  const generic = useErrorMessage();
  const errorMessage = messageOf ?? generic;
  const router = useRouter();
  const toast = useToast();
  const t = useTranslations("toast");
  return (action: () => Promise<unknown>, after?: () => void) => async (): Promise<string | null> => {
    try {
      await action();
      after?.();
      toast.show(success ?? t("done"));
      router.refresh();
      return null;
    } catch (err) {
      return errorMessage(err);
    }
  };
};
