"use client";

import { useMutation } from "@tanstack/react-query";
import { X } from "lucide-react";
import { useTranslations } from "next-intl";
import { useMutationFeedback } from "~/components/hooks/use-mutation-feedback";
import { Button } from "~/components/ui/button";
import { useTRPC } from "~/trpc/react";

/** Marks the month's 80 % notice read for all owners (support.dismissNotice serves every notice of the tenant). */
export const DismissBudgetNoticeButton = ({ tenantSlug, id }: { tenantSlug: string; id: string }) => {
  const t = useTranslations("tokenBudget");
  const trpc = useTRPC();
  const feedback = useMutationFeedback();
  const dismiss = useMutation(trpc.support.dismissNotice.mutationOptions(feedback.handlers));
  return (
    <Button variant="secondary" size="sm" disabled={dismiss.isPending} onClick={() => dismiss.mutate({ tenantSlug, id })}>
      <X aria-hidden="true" />
      {t("dismiss")}
    </Button>
  );
};
