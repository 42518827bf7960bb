"use client";

import { useMutation } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useErrorMessage } from "~/components/hooks/use-error-message";
import { RETENTION_CLASSES, type RetentionClass } from "~/lib/retention";
import { useRouter } from "~/i18n/navigation";
import { useTRPC } from "~/trpc/react";

type ErrorData = { reason?: string | null; params?: Record<string, string | number> | null };

const isRetentionClass = (v: unknown): v is RetentionClass => typeof v === "string" && (RETENTION_CLASSES as readonly string[]).includes(v);

/**
 * The one mutation behind the privacy centre's three forms (telemetry, residency, retention):
 * saves, refreshes the server-rendered page and turns a refusal into a sentence. A window under
 * its class's minimum (the audit legal minimum) gets this namespace's message naming the class and
 * the minimum, which the generic errors.<reason> lookup cannot interpolate.
 */
export const usePrivacyUpdate = (tenantSlug: string) => {
  const t = useTranslations("privacy");
  const errorMessage = useErrorMessage();
  const router = useRouter();
  const trpc = useTRPC();
  const [error, setError] = useState<string | null>(null);
  const mutation = useMutation(
    trpc.privacy.update.mutationOptions({
      onSuccess: () => router.refresh(),
      onError: (err) => {
        const data = err instanceof TRPCClientError ? ((err.data ?? null) as ErrorData | null) : null;
        const cls = data?.params?.retentionClass;
        if (data?.reason === "retentionBelowMinimum" && isRetentionClass(cls)) {
          setError(t("retention.belowMinimum", { dataClass: t(`retention.classes.${cls}`), min: Number(data.params?.min ?? 0) }));
          return;
        }
        setError(errorMessage(err));
      },
    }),
  );
  type Input = Omit<Parameters<typeof mutation.mutate>[0], "tenantSlug">;
  const save = (input: Input) => {
    setError(null);
    mutation.reset();
    mutation.mutate({ tenantSlug, ...input });
  };
  return { save, error, pending: mutation.isPending, saved: mutation.isSuccess };
};
