"use client";

import { useMutation } from "@tanstack/react-query";
import { LogOut, UserCheck, UserX } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { ConfirmDialog } from "~/components/confirm-dialog";
import { useConfirmAction } from "~/components/hooks/use-confirm-action";
import { useErrorMessage } from "~/components/hooks/use-error-message";
import { useRouter } from "~/i18n/navigation";
import { useTRPC } from "~/trpc/react";
import { ReasonDialog } from "./reason-dialog";

/** Disable / enable an account and end its sessions. An admin's own account offers no disable (a lock-out). */
export const UserActions = ({ userId, email, disabled, isSelf }: { userId: string; email: string; disabled: boolean; isSelf: boolean }) => {
  const t = useTranslations("admin");
  const trpc = useTRPC();
  const router = useRouter();
  const errorMessage = useErrorMessage();
  const confirm = useConfirmAction();
  const [ended, setEnded] = useState<number | null>(null);
  const disable = useMutation(trpc.admin.disableUser.mutationOptions());
  const enable = useMutation(trpc.admin.enableUser.mutationOptions());
  const revoke = useMutation(trpc.admin.revokeUserSessions.mutationOptions());

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap gap-3">
        {disabled ? (
          <ConfirmDialog
            trigger={
              <>
                <UserCheck aria-hidden="true" />
                {t("enableUser")}
              </>
            }
            triggerVariant="primary"
            triggerSize="md"
            title={t("enableTitle", { email })}
            description={t("enableBody")}
            confirmLabel={t("enableConfirm")}
            onConfirm={confirm(() => enable.mutateAsync({ userId }))}
          />
        ) : isSelf ? null : (
          <ReasonDialog
            trigger={
              <>
                <UserX aria-hidden="true" />
                {t("disableUser")}
              </>
            }
            title={t("disableTitle", { email })}
            description={t("disableBody")}
            confirmLabel={t("disableConfirm")}
            onSubmit={async (reason) => {
              try {
                const res = await disable.mutateAsync({ userId, reason });
                setEnded(res.sessionsEnded);
                router.refresh();
                return null;
              } catch (err) {
                return errorMessage(err);
              }
            }}
          />
        )}
        <ConfirmDialog
          trigger={
            <>
              <LogOut aria-hidden="true" />
              {t("revokeSessions")}
            </>
          }
          triggerSize="md"
          title={t("revokeTitle", { email })}
          description={t("revokeBody")}
          confirmLabel={t("revokeConfirm")}
          onConfirm={confirm(async () => setEnded((await revoke.mutateAsync({ userId })).sessionsEnded))}
        />
      </div>
      {isSelf ? <p className="text-sm text-muted-fg">{t("yourAccount")}</p> : null}
      <p role="status" className={ended === null ? "sr-only" : "text-sm text-success"}>
        {ended === null ? "" : t("sessionsEnded", { count: ended })}
      </p>
    </div>
  );
};
