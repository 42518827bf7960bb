"use client";

import { useMutation } from "@tanstack/react-query";
import { X } from "lucide-react";
import { Button } from "~/components/ui/button";
import { useMutationFeedback } from "~/components/hooks/use-mutation-feedback";
import { useTRPC } from "~/trpc/react";

/**
 * Marks a tenant notice read for all owners (support sessions, the token-budget warning:
 * support.dismissNotice serves every notice of the tenant; the audit trail keeps the record).
 */
export const DismissNoticeButton = ({ tenantSlug, id, label }: { tenantSlug: string; id: string; label: string }) => {
  const trpc = useTRPC();
  const feedback = useMutationFeedback();
  const dismiss = useMutation(trpc.support.dismissNotice.mutationOptions(feedback.handlers));
  return (
    <Button variant="secondary" size="sm" disabled={dismiss.isPending} onClick={() => dismiss.mutate({ tenantSlug, id })}>
      <X aria-hidden="true" />
      {label}
    </Button>
  );
};
