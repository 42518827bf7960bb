"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useMutationFeedback } from "~/components/hooks/use-mutation-feedback";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { useTRPC } from "~/trpc/react";

/**
 * An admin's confirmation of a fact only they can record for the onboarding
 * checklist — the personas reviewed as they are (personas page), the built-in
 * offline model kept on purpose (providers page) — or, once recorded, a line
 * saying so.
 */
export const ConfirmOnboardingFact = ({ tenantSlug, fact, confirmed }: { tenantSlug: string; fact: "personas" | "offlineModel"; confirmed: boolean }) => {
  const t = useTranslations("onboarding");
  const trpc = useTRPC();
  const feedback = useMutationFeedback();
  const personas = useMutation(trpc.onboarding.confirmPersonas.mutationOptions(feedback.handlers));
  const offline = useMutation(trpc.onboarding.keepOfflineModel.mutationOptions(feedback.handlers));
  const mutation = fact === "personas" ? personas : offline;
  if (confirmed) {
    return (
      <Alert variant="success" data-testid={`onboarding-confirmed-${fact}`}>
        {fact === "personas" ? t("personasReviewed") : t("offlineChosen")}
      </Alert>
    );
  }
  return (
    <Alert variant="info" className="flex flex-wrap items-center gap-3">
      <p className="mr-auto">{fact === "personas" ? t("confirmPersonasLead") : t("keepOfflineLead")}</p>
      <Button variant="secondary" size="sm" disabled={mutation.isPending} onClick={() => mutation.mutate({ tenantSlug })}>
        {fact === "personas" ? t("confirmPersonas") : t("keepOffline")}
      </Button>
      {feedback.error ? (
        <p role="alert" className="w-full text-danger">
          {feedback.error}
        </p>
      ) : null}
    </Alert>
  );
};
