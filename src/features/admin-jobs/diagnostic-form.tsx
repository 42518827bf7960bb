"use client";

import { useMutation } from "@tanstack/react-query";
import { Stethoscope, Wrench } from "lucide-react";
import { useTranslations } from "next-intl";
import type { FormEvent } from "react";
import { FormError } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { useMutationFeedback } from "~/components/hooks/use-mutation-feedback";
import { useTRPC } from "~/trpc/react";

/** Sends the diagnostic job (system heartbeat ping), optionally with a fault that makes it fail until fixed. */
export const DiagnosticForm = () => {
  const t = useTranslations("adminJobs");
  const tc = useTranslations("common");
  const { error, clearError, handlers } = useMutationFeedback();
  const trpc = useTRPC();
  const run = useMutation(trpc.admin.runDiagnostic.mutationOptions(handlers));

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    clearError();
    run.reset();
    run.mutate({ fail: new FormData(e.currentTarget).get("fail") === "on" });
  };

  return (
    <form className="flex flex-col gap-4" onSubmit={onSubmit}>
      <div className="flex items-center gap-2">
        <input id="diagnostic-fail" name="fail" type="checkbox" className="size-4 accent-accent" />
        <label htmlFor="diagnostic-fail" className="text-sm font-medium">
          {t("makeItFail")}
        </label>
      </div>
      <FormError message={error} />
      <p role="status" className={run.isSuccess ? "text-sm text-success" : "sr-only"}>
        {run.data ? t("diagnosticSent", { pingId: run.data.pingId }) : ""}
      </p>
      <Button type="submit" variant="secondary" className="self-start" disabled={run.isPending}>
        <Stethoscope aria-hidden="true" />
        {run.isPending ? tc("working") : t("runDiagnostic")}
      </Button>
    </form>
  );
};

/** Clears a failing diagnostic's fault flag ("the fix"); a replay of its dead letter then succeeds. */
export const FixDiagnosticButton = ({ pingId }: { pingId: string }) => {
  const t = useTranslations("adminJobs");
  const tc = useTranslations("common");
  const { error, clearError, handlers } = useMutationFeedback();
  const trpc = useTRPC();
  const fix = useMutation(trpc.admin.fixDiagnostic.mutationOptions(handlers));
  return (
    <div className="flex flex-col items-start gap-1">
      <Button
        variant="secondary"
        size="sm"
        aria-label={t("markFixedLabel", { pingId })}
        disabled={fix.isPending}
        onClick={() => {
          clearError();
          fix.mutate({ pingId });
        }}
      >
        <Wrench aria-hidden="true" />
        {fix.isPending ? tc("working") : t("markFixed")}
      </Button>
      <FormError message={error} className="text-xs" />
    </div>
  );
};
