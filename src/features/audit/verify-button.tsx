"use client";

import { useQueryClient } from "@tanstack/react-query";
import { ShieldCheck } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { useErrorMessage } from "~/components/hooks/use-error-message";
import { useTRPC } from "~/trpc/react";

type Result = { ok: boolean; checked: number; firstBrokenSeq: number | null };

/** "Verify integrity": recomputes the workspace's hash chain on the server and says whether it holds. */
export const VerifyButton = ({ tenantSlug }: { tenantSlug: string }) => {
  const t = useTranslations("audit");
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<string | null>(null);
  const verify = async () => {
    setPending(true);
    setError(null);
    setResult(null);
    try {
      // Always a fresh computation: never a cached answer.
      setResult(await queryClient.fetchQuery({ ...trpc.audit.verify.queryOptions({ tenantSlug }), staleTime: 0 }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setPending(false);
    }
  };
  return (
    <div className="flex flex-col gap-3">
      <Button variant="secondary" className="self-start" onClick={verify} disabled={pending}>
        <ShieldCheck aria-hidden="true" />
        {pending ? t("verifying") : t("verify")}
      </Button>
      <div role="status" aria-live="polite">
        {result ? (
          <Alert variant={result.ok ? "success" : "danger"}>
            {result.ok ? t("verifyOk", { count: result.checked }) : t("verifyBroken", { seq: result.firstBrokenSeq ?? 0, count: result.checked })}
          </Alert>
        ) : null}
        {error ? <Alert variant="danger">{error}</Alert> : null}
      </div>
    </div>
  );
};
