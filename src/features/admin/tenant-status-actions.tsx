"use client";

import { useMutation } from "@tanstack/react-query";
import { Ban, RotateCcw } from "lucide-react";
import { useTranslations } from "next-intl";
import { ConfirmDialog } from "~/components/confirm-dialog";
import { useConfirmAction } from "~/components/hooks/use-confirm-action";
import { useErrorMessage } from "~/components/hooks/use-error-message";
import { useRouter } from "~/i18n/navigation";
import { useTRPC } from "~/trpc/react";
import { ReasonDialog } from "./reason-dialog";

/**
 * Suspend (asks for the reason the tenant's owners will read) or reactivate one workspace. A
 * workspace pending deletion or deleted has no status actions here: its owners cancel a deletion
 * from the privacy centre, and a deleted one is gone.
 */
export const TenantStatusActions = ({ tenantId, name, status }: { tenantId: string; name: string; status: "ACTIVE" | "SUSPENDED" | "PENDING_DELETION" | "DELETED" }) => {
  const t = useTranslations("admin");
  const trpc = useTRPC();
  const router = useRouter();
  const errorMessage = useErrorMessage();
  const confirm = useConfirmAction();
  const suspend = useMutation(trpc.admin.suspendTenant.mutationOptions());
  const reactivate = useMutation(trpc.admin.reactivateTenant.mutationOptions());

  if (status === "ACTIVE") {
    return (
      <ReasonDialog
        trigger={
          <>
            <Ban aria-hidden="true" />
            {t("suspend")}
          </>
        }
        title={t("suspendTitle", { name })}
        description={t("suspendBody")}
        confirmLabel={t("suspendConfirm")}
        onSubmit={async (reason) => {
          try {
            await suspend.mutateAsync({ tenantId, reason });
            router.refresh();
            return null;
          } catch (err) {
            return errorMessage(err);
          }
        }}
      />
    );
  }
  if (status !== "SUSPENDED") return null;
  return (
    <ConfirmDialog
      trigger={
        <>
          <RotateCcw aria-hidden="true" />
          {t("reactivate")}
        </>
      }
      triggerVariant="primary"
      triggerSize="md"
      title={t("reactivateTitle", { name })}
      description={t("reactivateBody")}
      confirmLabel={t("reactivateConfirm")}
      onConfirm={confirm(() => reactivate.mutateAsync({ tenantId }))}
    />
  );
};
