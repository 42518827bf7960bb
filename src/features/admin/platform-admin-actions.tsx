"use client";

import { useMutation } from "@tanstack/react-query";
import { ShieldCheck, ShieldOff } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useErrorMessage } from "~/components/hooks/use-error-message";
import { useRouter } from "~/i18n/navigation";
import { useTRPC } from "~/trpc/react";
import { ReasonDialog } from "./reason-dialog";

/**
 * Grant or revoke platform-admin powers, each behind a dialog that asks for the
 * reason (kept in the platform audit log). Your own role offers no revoke: the
 * server refuses it too (cannotRevokeSelf), as it refuses removing the last
 * admin and granting to a disabled or unverified account.
 */
export const PlatformAdminActions = ({ userId, email, isPlatformAdmin, disabled, isSelf }: { userId: string; email: string; isPlatformAdmin: boolean; disabled: boolean; isSelf: boolean }) => {
  const t = useTranslations("admin");
  const trpc = useTRPC();
  const router = useRouter();
  const errorMessage = useErrorMessage();
  const [done, setDone] = useState<string | null>(null);
  const grant = useMutation(trpc.admin.grantPlatformAdmin.mutationOptions());
  const revoke = useMutation(trpc.admin.revokePlatformAdmin.mutationOptions());

  /** Runs the change; on success says so and re-renders the page (its "Platform admin" row), else returns the error to show. */
  const submit = (run: () => Promise<string>) => async () => {
    try {
      setDone(await run());
      router.refresh();
      return null;
    } catch (err) {
      return errorMessage(err);
    }
  };

  if (isPlatformAdmin && isSelf) return <p className="text-sm text-muted-fg">{t("yourAdminRole")}</p>;
  // A disabled account cannot be granted the role (accountDisabled): no button to fail.
  if (!isPlatformAdmin && disabled) return null;

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap gap-3">
        {isPlatformAdmin ? (
          <ReasonDialog
            trigger={
              <>
                <ShieldOff aria-hidden="true" />
                {t("revokeAdmin")}
              </>
            }
            title={t("revokeAdminTitle", { email })}
            description={t("revokeAdminBody")}
            confirmLabel={t("revokeAdminConfirm")}
            onSubmit={(reason) =>
              submit(async () => t("adminRevoked", { email, count: (await revoke.mutateAsync({ userId, reason })).sessionsEnded }))()
            }
          />
        ) : (
          <ReasonDialog
            variant="primary"
            trigger={
              <>
                <ShieldCheck aria-hidden="true" />
                {t("grantAdmin")}
              </>
            }
            title={t("grantAdminTitle", { email })}
            description={t("grantAdminBody")}
            confirmLabel={t("grantAdminConfirm")}
            onSubmit={(reason) =>
              submit(async () => {
                await grant.mutateAsync({ userId, reason });
                return t("adminGranted", { email });
              })()
            }
          />
        )}
      </div>
      <p role="status" className={done === null ? "sr-only" : "text-sm text-success"}>
        {done ?? ""}
      </p>
    </div>
  );
};
