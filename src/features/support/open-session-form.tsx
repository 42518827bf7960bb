"use client";

import { useMutation } from "@tanstack/react-query";
import { ShieldAlert } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { FormError } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";
import { Label } from "~/components/ui/label";
import { Select } from "~/components/ui/select";
import { useErrorMessage } from "~/components/hooks/use-error-message";
import { useRouter } from "~/i18n/navigation";
import { useTRPC } from "~/trpc/react";

export const SUPPORT_DURATIONS = [5, 15, 30, 60, 90, 120] as const;

/** Opens a support session: workspace (from the search above), written reason, duration. */
export const OpenSessionForm = ({ tenants }: { tenants: { id: string; name: string; slug: string }[] }) => {
  const t = useTranslations("support");
  const tc = useTranslations("common");
  const errorMessage = useErrorMessage();
  const router = useRouter();
  const trpc = useTRPC();
  const [error, setError] = useState<string | null>(null);
  const open = useMutation(
    trpc.support.open.mutationOptions({
      onSuccess: (s) => router.push(`/admin/support/${s.id}`),
      onError: (err) => setError(errorMessage(err)),
    }),
  );
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setError(null);
    const form = new FormData(e.currentTarget);
    open.mutate({ tenantId: String(form.get("tenantId") ?? ""), reason: String(form.get("reason") ?? ""), durationMinutes: Number(form.get("durationMinutes") ?? 30) });
  };

  if (tenants.length === 0) return <p className="text-muted-fg">{t("noTenants")}</p>;
  return (
    <form className="flex max-w-2xl flex-col gap-4" onSubmit={onSubmit}>
      <Field>
        <Label htmlFor="support-tenant">{t("tenantLabel")}</Label>
        <Select id="support-tenant" name="tenantId" required defaultValue={tenants.length === 1 ? tenants[0]!.id : ""}>
          <option value="" disabled>
            {t("tenantPlaceholder")}
          </option>
          {tenants.map((x) => (
            <option key={x.id} value={x.id}>
              {x.name} ({x.slug})
            </option>
          ))}
        </Select>
      </Field>
      <Field>
        <Label htmlFor="support-reason">{t("reasonLabel")}</Label>
        <textarea
          id="support-reason"
          name="reason"
          required
          minLength={10}
          maxLength={500}
          rows={3}
          aria-describedby="support-reason-hint"
          className="rounded-md border border-border-strong bg-bg px-3 py-2 text-sm text-fg focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-ring"
        />
        <p id="support-reason-hint" className="text-sm text-muted-fg">
          {t("reasonHint")}
        </p>
      </Field>
      <Field>
        <Label htmlFor="support-duration">{t("durationLabel")}</Label>
        <Select id="support-duration" name="durationMinutes" defaultValue="30" className="w-48">
          {SUPPORT_DURATIONS.map((m) => (
            <option key={m} value={m}>
              {t("minutes", { minutes: m })}
            </option>
          ))}
        </Select>
      </Field>
      <FormError message={error} />
      <Button type="submit" className="self-start" disabled={open.isPending}>
        <ShieldAlert aria-hidden="true" />
        {open.isPending ? tc("working") : t("openSubmit")}
      </Button>
    </form>
  );
};
