"use client";

import { useMutation } from "@tanstack/react-query";
import { CheckCircle2, ClipboardCheck } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { FormError } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { useRouter } from "~/i18n/navigation";
import { useTRPC } from "~/trpc/react";
import { useReviewErrorMessage } from "./use-review-error-message";

/** The shared outcome of the review's buttons: refresh the server-rendered page, or keep a localised error. */
const useFeedback = () => {
  const errorMessage = useReviewErrorMessage();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  return { error, clearError: () => setError(null), handlers: { onSuccess: () => router.refresh(), onError: (err: unknown) => setError(errorMessage(err)) } };
};

/** Owners: open a review (a snapshot of who and what has access). */
export const StartReviewButton = ({ tenantSlug }: { tenantSlug: string }) => {
  const t = useTranslations("accessReviews.current");
  const tc = useTranslations("common");
  const { error, clearError, handlers } = useFeedback();
  const trpc = useTRPC();
  const open = useMutation(trpc.accessReview.open.mutationOptions(handlers));
  return (
    <div className="flex flex-col items-start gap-2">
      <Button
        disabled={open.isPending}
        onClick={() => {
          clearError();
          open.mutate({ tenantSlug });
        }}
      >
        <ClipboardCheck aria-hidden="true" />
        {open.isPending ? tc("working") : t("start")}
      </Button>
      <FormError message={error} />
    </div>
  );
};

/** Owners: complete the review; enabled once every line is decided (the server checks again). */
export const CompleteReviewButton = ({ tenantSlug, reviewId, ready }: { tenantSlug: string; reviewId: string; ready: boolean }) => {
  const t = useTranslations("accessReviews.current");
  const tc = useTranslations("common");
  const { error, clearError, handlers } = useFeedback();
  const trpc = useTRPC();
  const complete = useMutation(trpc.accessReview.complete.mutationOptions(handlers));
  return (
    <div className="flex flex-col items-start gap-2">
      <Button
        disabled={!ready || complete.isPending}
        aria-describedby={ready ? undefined : "complete-review-hint"}
        onClick={() => {
          clearError();
          complete.mutate({ tenantSlug, reviewId });
        }}
      >
        <CheckCircle2 aria-hidden="true" />
        {complete.isPending ? tc("working") : t("complete")}
      </Button>
      {ready ? null : (
        <p id="complete-review-hint" className="text-sm text-muted-fg">
          {t("completeHint")}
        </p>
      )}
      <FormError message={error} />
    </div>
  );
};
