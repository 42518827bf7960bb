"use client";

import { useMutation } from "@tanstack/react-query";
import { X } from "lucide-react";
import { useTranslations } from "next-intl";
import { Button } from "~/components/ui/button";
import { useMutationFeedback } from "~/components/hooks/use-mutation-feedback";
import { useTRPC } from "~/trpc/react";

/** Marks a support notice read (the audit trail keeps the record). */
export const DismissNoticeButton = ({ tenantSlug, id }: { tenantSlug: string; id: string }) => {
  const t = useTranslations("support");
  const trpc = useTRPC();
  const feedback = useMutationFeedback();
  const dismiss = useMutation(trpc.support.dismissNotice.mutationOptions(feedback.handlers));
  return (
    <Button variant="secondary" size="sm" disabled={dismiss.isPending} onClick={() => dismiss.mutate({ tenantSlug, id })}>
      <X aria-hidden="true" />
      {t("noticeDismiss")}
    </Button>
  );
};
