"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { FormError } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, FieldHint } from "~/components/ui/field";
import { Input, inputVariants } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { useErrorMessage } from "~/components/hooks/use-error-message";
import { useRouter } from "~/i18n/navigation";
import { cn } from "~/lib/cn";
import { useTRPC } from "~/trpc/react";

/** Mirrors the server's limits (tenant.updateProfile validates). */
const MAX_INDUSTRY = 80;
const MAX_DESCRIPTION = 1000;

/** Admins: the company profile every persona's system prompt carries. Empty fields are cleared. */
export const TenantProfileForm = ({ tenantSlug, industry, description }: { tenantSlug: string; industry: string | null; description: string | null }) => {
  const t = useTranslations("settings");
  const tc = useTranslations("common");
  const errorMessage = useErrorMessage();
  const router = useRouter();
  const trpc = useTRPC();
  const [error, setError] = useState<string | null>(null);
  const update = useMutation(
    trpc.tenant.updateProfile.mutationOptions({
      onSuccess: () => router.refresh(),
      onError: (err) => setError(errorMessage(err)),
    }),
  );

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const text = (name: string) => String(data.get(name) ?? "").trim();
    setError(null);
    update.reset();
    update.mutate({ tenantSlug, industry: text("industry") || null, description: text("description") || null });
  };

  return (
    <form className="flex flex-col gap-4" onSubmit={onSubmit}>
      <Field>
        <Label htmlFor="workspace-industry">{t("industryLabel")}</Label>
        <Input id="workspace-industry" name="industry" defaultValue={industry ?? ""} maxLength={MAX_INDUSTRY} aria-describedby="workspace-industry-hint" />
        <FieldHint id="workspace-industry-hint">{t("industryHint")}</FieldHint>
      </Field>
      <Field>
        <Label htmlFor="workspace-description">{t("descriptionLabel")}</Label>
        <textarea
          id="workspace-description"
          name="description"
          defaultValue={description ?? ""}
          maxLength={MAX_DESCRIPTION}
          rows={5}
          aria-describedby="workspace-description-hint"
          className={cn(inputVariants(), "h-auto min-h-28 py-2 leading-relaxed")}
        />
        <FieldHint id="workspace-description-hint">{t("descriptionHint")}</FieldHint>
      </Field>
      <FormError message={error} />
      <p role="status" className={update.isSuccess ? "text-sm text-success" : "sr-only"}>
        {update.isSuccess ? t("profileSaved") : ""}
      </p>
      <Button type="submit" className="self-start" disabled={update.isPending}>
        {update.isPending ? tc("working") : t("profileSave")}
      </Button>
    </form>
  );
};
