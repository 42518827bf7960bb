"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { FormError } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { useMutationFeedback } from "~/components/hooks/use-mutation-feedback";
import { useTRPC } from "~/trpc/react";

/** Ends one of the admin's live support sessions now. */
export const EndSessionButton = ({ id, tenantName }: { id: string; tenantName: string }) => {
  const t = useTranslations("support");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const feedback = useMutationFeedback();
  const end = useMutation(trpc.support.end.mutationOptions(feedback.handlers));
  return (
    <div className="flex flex-col gap-2">
      <Button variant="danger" size="sm" aria-label={t("endLabel", { name: tenantName })} disabled={end.isPending} onClick={() => end.mutate({ id })}>
        {end.isPending ? tc("working") : t("end")}
      </Button>
      <FormError message={feedback.error} />
    </div>
  );
};
