"use client";

import { useMutation } from "@tanstack/react-query";
import { PlugZap, Trash2 } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { ConfirmDialog } from "~/components/confirm-dialog";
import { Button } from "~/components/ui/button";
import { useConfirmAction } from "~/components/hooks/use-confirm-action";
import { useErrorMessage } from "~/components/hooks/use-error-message";
import { useRouter } from "~/i18n/navigation";
import { useTRPC } from "~/trpc/react";

/** "Test connection": calls the provider's /models with the stored key and says what happened. */
export const TestCredentialButton = ({ tenantSlug, id, label }: { tenantSlug: string; id: string; label: string }) => {
  const t = useTranslations("providers");
  const te = useTranslations("errors");
  const tc = useTranslations("common");
  const errorMessage = useErrorMessage();
  const router = useRouter();
  const trpc = useTRPC();
  const [error, setError] = useState<string | null>(null);
  const test = useMutation(
    trpc.provider.test.mutationOptions({
      onSuccess: () => router.refresh(),
      onError: (err) => setError(errorMessage(err)),
    }),
  );
  const result = test.data;
  return (
    <div className="flex flex-col items-start gap-1">
      <Button
        variant="secondary"
        size="sm"
        aria-label={t("testLabel", { label })}
        disabled={test.isPending}
        onClick={() => {
          setError(null);
          test.reset();
          test.mutate({ tenantSlug, id });
        }}
      >
        <PlugZap aria-hidden="true" />
        {test.isPending ? tc("working") : t("test")}
      </Button>
      <div role="status" className="max-w-xs text-xs">
        {result?.ok ? (
          <p className="text-success">
            {t("testSuccess")} {result.models?.length ? <span className="break-words text-muted-fg">{t("testModels", { models: result.models.join(", ") })}</span> : null}
          </p>
        ) : null}
        {result && !result.ok ? (
          <p className="text-danger">
            {t("testFailure", { reason: te(result.error ?? "generic") })} {result.status ? t("testStatus", { status: result.status }) : null}
          </p>
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

export const DeleteCredentialButton = ({ tenantSlug, id, label }: { tenantSlug: string; id: string; label: string }) => {
  const t = useTranslations("providers");
  const confirm = useConfirmAction();
  const trpc = useTRPC();
  const remove = useMutation(trpc.provider.delete.mutationOptions());
  return (
    <ConfirmDialog
      trigger={
        <>
          <Trash2 aria-hidden="true" />
          {t("delete")}
        </>
      }
      triggerLabel={t("deleteLabel", { label })}
      title={t("deleteTitle", { label })}
      description={t("deleteBody")}
      confirmLabel={t("deleteConfirm")}
      onConfirm={confirm(() => remove.mutateAsync({ tenantSlug, id }))}
    />
  );
};
