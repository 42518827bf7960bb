"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { FormError } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { useErrorMessage } from "~/components/hooks/use-error-message";
import { useRouter } from "~/i18n/navigation";
import { useTRPC } from "~/trpc/react";

export const RenameWorkspaceForm = ({ tenantSlug, name }: { tenantSlug: string; name: string }) => {
  const t = useTranslations("settings");
  const tc = useTranslations("common");
  const errorMessage = useErrorMessage();
  const router = useRouter();
  const trpc = useTRPC();
  const [error, setError] = useState<string | null>(null);
  const rename = useMutation(
    trpc.tenant.rename.mutationOptions({
      onSuccess: () => router.refresh(),
      onError: (err) => setError(errorMessage(err)),
    }),
  );

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setError(null);
    rename.reset();
    rename.mutate({ tenantSlug, name: String(new FormData(e.currentTarget).get("name") ?? "") });
  };

  return (
    <form className="flex flex-col gap-4" onSubmit={onSubmit}>
      <Field>
        <Label htmlFor="workspace-rename">{t("nameLabel")}</Label>
        <Input id="workspace-rename" name="name" defaultValue={name} required minLength={2} maxLength={80} />
      </Field>
      <FormError message={error} />
      <p role="status" className={rename.isSuccess ? "text-sm text-success" : "sr-only"}>
        {rename.isSuccess ? t("saved") : ""}
      </p>
      <Button type="submit" className="self-start" disabled={rename.isPending}>
        {rename.isPending ? tc("working") : t("save")}
      </Button>
    </form>
  );
};
