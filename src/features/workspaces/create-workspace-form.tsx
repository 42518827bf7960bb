"use client";

import { useMutation } from "@tanstack/react-query";
import { Plus } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { useErrorMessage } from "~/components/hooks/use-error-message";
import { useRouter } from "~/i18n/navigation";
import { useTRPC } from "~/trpc/react";

export const CreateWorkspaceForm = () => {
  const t = useTranslations("workspaces");
  const tc = useTranslations("common");
  const errorMessage = useErrorMessage();
  const router = useRouter();
  const trpc = useTRPC();
  const [error, setError] = useState<string | null>(null);
  const create = useMutation(
    trpc.tenant.create.mutationOptions({
      onSuccess: (tenant) => {
        router.push(`/t/${tenant.slug}`);
        router.refresh();
      },
      onError: (err) => setError(errorMessage(err)),
    }),
  );

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setError(null);
    create.mutate({ name: String(new FormData(e.currentTarget).get("name") ?? "") });
  };

  const pending = create.isPending || create.isSuccess;
  return (
    <form className="flex flex-col gap-4 sm:flex-row sm:items-end" onSubmit={onSubmit}>
      <Field className="flex-1">
        <Label htmlFor="workspace-name">{t("nameLabel")}</Label>
        <Input id="workspace-name" name="name" required minLength={2} maxLength={80} autoComplete="organization" />
      </Field>
      <Button type="submit" disabled={pending}>
        <Plus aria-hidden="true" />
        {pending ? tc("working") : t("create")}
      </Button>
      {error ? (
        <Alert variant="danger" role="alert" className="sm:basis-full">
          {error}
        </Alert>
      ) : null}
    </form>
  );
};
