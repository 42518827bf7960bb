"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useId, useState, type FormEvent } from "react";
import { useErrorMessage } from "~/components/hooks/use-error-message";
import { FormError } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, FieldHint } from "~/components/ui/field";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { useRouter } from "~/i18n/navigation";
import { useTRPC } from "~/trpc/react";

/**
 * Sets a workspace's monthly token budget, or removes the limit
 * (admin.setTokenBudget). Both ask for the reason the workspace's owners read
 * in their audit trail. The server validates again (whole tokens, 1 – 2 billion).
 */
export const TokenBudgetForm = ({ tenantId, monthlyTokens }: { tenantId: string; monthlyTokens: number | null }) => {
  const t = useTranslations("admin");
  const tc = useTranslations("common");
  const id = useId();
  const trpc = useTRPC();
  const router = useRouter();
  const errorMessage = useErrorMessage();
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<"set" | "cleared" | null>(null);
  const save = useMutation(trpc.admin.setTokenBudget.mutationOptions());

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    // The submitter says which: "set" with the amount, or "clear" (no limit).
    const clear = (e.nativeEvent as SubmitEvent).submitter?.getAttribute("value") === "clear";
    const tokens = String(form.get("tokens") ?? "").trim();
    setDone(null);
    if (!clear && tokens === "") {
      setError(t("budgetFieldRequired"));
      return;
    }
    setError(null);
    try {
      await save.mutateAsync({ tenantId, monthlyTokens: clear ? null : Number(tokens), reason: String(form.get("reason") ?? "").trim() });
      setDone(clear ? "cleared" : "set");
      router.refresh();
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <form className="flex max-w-xl flex-col gap-4" onSubmit={submit}>
      <Field>
        <Label htmlFor={`${id}-tokens`}>{t("budgetField")}</Label>
        <Input
          id={`${id}-tokens`}
          name="tokens"
          type="number"
          inputMode="numeric"
          min={1}
          max={2_000_000_000}
          step={1}
          defaultValue={monthlyTokens ?? undefined}
          aria-describedby={`${id}-tokens-hint`}
        />
        <FieldHint id={`${id}-tokens-hint`}>{t("budgetFieldHint")}</FieldHint>
      </Field>
      <Field>
        <Label htmlFor={`${id}-reason`}>{t("reasonLabel")}</Label>
        <Input id={`${id}-reason`} name="reason" required minLength={3} maxLength={500} autoComplete="off" />
      </Field>
      <FormError message={error} />
      <p role="status" className={done ? "text-sm text-success" : "sr-only"}>
        {done === "set" ? t("budgetSaved") : done === "cleared" ? t("budgetCleared") : ""}
      </p>
      <div className="flex flex-wrap gap-3">
        <Button type="submit" name="action" value="set" disabled={save.isPending}>
          {save.isPending ? tc("working") : t("budgetSave")}
        </Button>
        {monthlyTokens !== null ? (
          <Button type="submit" name="action" value="clear" variant="secondary" disabled={save.isPending}>
            {t("budgetClear")}
          </Button>
        ) : null}
      </div>
    </form>
  );
};
