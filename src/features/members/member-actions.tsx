"use client";

import { useMutation } from "@tanstack/react-query";
import { LogOut, UserMinus, XCircle } from "lucide-react";
import { useTranslations } from "next-intl";
import { ConfirmDialog } from "~/components/confirm-dialog";
import { Button } from "~/components/ui/button";
import { useConfirmAction } from "~/components/hooks/use-confirm-action";
import { useMutationFeedback } from "~/components/hooks/use-mutation-feedback";
import { useRouter } from "~/i18n/navigation";
import { useTRPC } from "~/trpc/react";

export const RemoveMemberButton = ({ tenantSlug, membershipId, email }: { tenantSlug: string; membershipId: string; email: string }) => {
  const t = useTranslations("members");
  const tt = useTranslations("toast");
  const confirm = useConfirmAction(undefined, { success: tt("memberRemoved") });
  const trpc = useTRPC();
  const remove = useMutation(trpc.member.remove.mutationOptions());
  return (
    <ConfirmDialog
      trigger={
        <>
          <UserMinus aria-hidden="true" />
          {t("remove")}
        </>
      }
      triggerLabel={t("removeLabel", { email })}
      title={t("removeTitle", { email })}
      description={t("removeBody")}
      confirmLabel={t("removeConfirm")}
      onConfirm={confirm(() => remove.mutateAsync({ tenantSlug, membershipId }))}
    />
  );
};

export const LeaveWorkspaceButton = ({ tenantSlug }: { tenantSlug: string }) => {
  const t = useTranslations("members");
  const confirm = useConfirmAction();
  const router = useRouter();
  const trpc = useTRPC();
  const leave = useMutation(trpc.member.leave.mutationOptions());
  return (
    <ConfirmDialog
      trigger={
        <>
          <LogOut aria-hidden="true" />
          {t("leave")}
        </>
      }
      triggerSize="md"
      title={t("leaveTitle")}
      description={t("leaveBody")}
      confirmLabel={t("leaveConfirm")}
      onConfirm={confirm(() => leave.mutateAsync({ tenantSlug }), () => router.push("/workspaces"))}
    />
  );
};

export const RevokeInvitationButton = ({ tenantSlug, invitationId, who }: { tenantSlug: string; invitationId: string; who: string }) => {
  const t = useTranslations("invitations");
  const tc = useTranslations("common");
  const tt = useTranslations("toast");
  const { error, clearError, handlers } = useMutationFeedback({ success: tt("invitationRevoked") });
  const trpc = useTRPC();
  const revoke = useMutation(trpc.invitation.revoke.mutationOptions(handlers));
  return (
    <div className="flex flex-col items-start gap-1">
      <Button
        variant="secondary"
        size="sm"
        aria-label={t("revokeLabel", { who })}
        disabled={revoke.isPending}
        onClick={() => {
          clearError();
          revoke.mutate({ tenantSlug, invitationId });
        }}
      >
        <XCircle aria-hidden="true" />
        {revoke.isPending ? tc("working") : t("revoke")}
      </Button>
      {error ? (
        <p role="alert" className="text-xs text-danger">
          {error}
        </p>
      ) : null}
    </div>
  );
};
