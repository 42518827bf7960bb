"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { RefreshCw, Undo2 } from "lucide-react";
import { useTranslations } from "next-intl";
import { useErrorMessage } from "~/components/hooks/use-error-message";
import { useTRPC } from "~/trpc/react";
import { GuardedConfirm } from "./guarded-confirm";

/**
 * Runs a key mutation from a confirm dialog, then refetches the status so the
 * page starts polling the new operation; a refusal (rotationInProgress,
 * rollbackUnavailable, …) comes back as the localised sentence the dialog shows.
 */
export const useKeyAction = (tenantSlug: string) => {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const errorMessage = useErrorMessage();
  return (action: () => Promise<unknown>) => async (): Promise<string | null> => {
    try {
      await action();
      await queryClient.invalidateQueries(trpc.keys.status.queryFilter({ tenantSlug }));
      return null;
    } catch (err) {
      return errorMessage(err);
    }
  };
};

/** "Rotate now" (owners): a new data-key version, every secret re-encrypted in the background. */
export const RotateButton = ({ tenantSlug, canRotate, rollbackWindowHours }: { tenantSlug: string; canRotate: boolean; rollbackWindowHours: number }) => {
  const t = useTranslations("keys");
  const trpc = useTRPC();
  const run = useKeyAction(tenantSlug);
  const rotate = useMutation(trpc.keys.rotate.mutationOptions());
  return (
    <GuardedConfirm
      icon={<RefreshCw aria-hidden="true" />}
      label={t("rotate")}
      variant="primary"
      unavailable={canRotate ? null : t("rotateUnavailable")}
      title={t("rotateTitle")}
      description={t("rotateBody", { hours: Math.round(rollbackWindowHours * 10) / 10 })}
      confirmLabel={t("rotateConfirm")}
      onConfirm={run(() => rotate.mutateAsync({ tenantSlug }))}
    />
  );
};

/** "Roll back last rotation" (owners): the previous version active again while it still exists. */
export const RollbackButton = ({ tenantSlug, canRollback, running }: { tenantSlug: string; canRollback: boolean; running: boolean }) => {
  const t = useTranslations("keys");
  const trpc = useTRPC();
  const run = useKeyAction(tenantSlug);
  const rollback = useMutation(trpc.keys.rollback.mutationOptions());
  return (
    <GuardedConfirm
      icon={<Undo2 aria-hidden="true" />}
      label={t("rollback")}
      unavailable={canRollback ? null : running ? t("rotateUnavailable") : t("rollbackUnavailable")}
      title={t("rollbackTitle")}
      description={t("rollbackBody")}
      confirmLabel={t("rollbackConfirm")}
      onConfirm={run(() => rollback.mutateAsync({ tenantSlug }))}
    />
  );
};
