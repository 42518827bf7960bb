"use client";

import { useMutation } from "@tanstack/react-query";
import { Check, XCircle } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { ConfirmDialog } from "~/components/confirm-dialog";
import { Button } from "~/components/ui/button";
import { useConfirmAction } from "~/components/hooks/use-confirm-action";
import { useRouter } from "~/i18n/navigation";
import { useTRPC } from "~/trpc/react";
import { useReviewErrorMessage } from "./use-review-error-message";

export type LineKind = "member" | "invitation" | "providerKey";

/**
 * Keep / Revoke for one undecided (or kept) line. Revoking acts at once (the
 * member is removed, the invitation revoked, the key deleted), so it asks first.
 */
export const DecisionButtons = ({
  tenantSlug,
  reviewId,
  itemId,
  kind,
  label,
  canKeep,
  canRevoke,
}: {
  tenantSlug: string;
  reviewId: string;
  itemId: string;
  kind: LineKind;
  /** What the line is called in button names and the dialog (an email, "anyone with the link", a key's name). */
  label: string;
  canKeep: boolean;
  canRevoke: boolean;
}) => {
  const t = useTranslations("accessReviews");
  const tc = useTranslations("common");
  const errorMessage = useReviewErrorMessage();
  const confirm = useConfirmAction(errorMessage);
  const router = useRouter();
  const trpc = useTRPC();
  const [error, setError] = useState<string | null>(null);
  const keep = useMutation(trpc.accessReview.decide.mutationOptions({ onSuccess: () => router.refresh(), onError: (err) => setError(errorMessage(err)) }));
  const revoke = useMutation(trpc.accessReview.decide.mutationOptions());
  return (
    <div className="flex flex-col items-start gap-1">
      <div className="flex flex-wrap gap-2">
        {canKeep ? (
          <Button
            variant="secondary"
            size="sm"
            aria-label={t("keepLabel", { label })}
            disabled={keep.isPending}
            onClick={() => {
              setError(null);
              keep.mutate({ tenantSlug, reviewId, itemId, decision: "keep" });
            }}
          >
            <Check aria-hidden="true" />
            {keep.isPending ? tc("working") : t("keep")}
          </Button>
        ) : null}
        {canRevoke ? (
          <ConfirmDialog
            trigger={
              <>
                <XCircle aria-hidden="true" />
                {t("revoke")}
              </>
            }
            triggerLabel={t("revokeLabel", { label })}
            title={t(`revokeTitle.${kind}`, { label })}
            description={t(`revokeBody.${kind}`)}
            confirmLabel={t("revokeConfirm")}
            onConfirm={confirm(() => revoke.mutateAsync({ tenantSlug, reviewId, itemId, decision: "revoke" }))}
          />
        ) : null}
      </div>
      {error ? (
        <p role="alert" className="text-xs text-danger">
          {error}
        </p>
      ) : null}
    </div>
  );
};
