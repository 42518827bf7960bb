"use client";

import { useMutation } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { UserX } from "lucide-react";
import { useLocale, useTranslations } from "next-intl";
import { useId, useState, type FormEvent } from "react";
import { useErrorMessage } from "~/components/hooks/use-error-message";
import { Alert, FormError } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "~/components/ui/card";
import { Field } from "~/components/ui/field";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { useTRPC } from "~/trpc/react";

/** The workspaces a refusal named (services/privacy/account-deletion.ts: params.workspaces), or null for any other error. */
const soleOwnerWorkspaces = (err: unknown): string | null => {
  if (!(err instanceof TRPCClientError)) return null;
  const data = err.data as { reason?: string; params?: { workspaces?: unknown } } | undefined;
  return data?.reason === "soleOwnerOfWorkspaces" && typeof data.params?.workspaces === "string" ? data.params.workspaces : null;
};

/**
 * "Delete your account" on the account page (issue 16): the user types their e-mail address; a
 * refusal because they are the only owner of workspaces names them. Once deleted, every session
 * is gone with the account, so the page reloads onto the sign-in page.
 */
export const DeleteAccountSection = ({ email }: { email: string }) => {
  const t = useTranslations("privacyDeletion.account");
  const tc = useTranslations("common");
  const locale = useLocale();
  const id = useId();
  const trpc = useTRPC();
  const errorMessage = useErrorMessage();
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<string | null>(null);
  const remove = useMutation(
    trpc.account.deleteAccount.mutationOptions({
      // Full reload: the session (and every cached page of it) is gone.
      // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- a client-side push would keep the router cache
      onSuccess: () => window.location.assign(`/${locale}/sign-in`),
      onError: (err) => {
        const workspaces = soleOwnerWorkspaces(err);
        setError(workspaces ? t("soleOwner", { workspaces }) : errorMessage(err));
      },
    }),
  );
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setError(null);
    remove.mutate({ confirmation: typed });
  };
  return (
    <Card>
      <CardHeader>
        <CardTitle id="delete-account-title">{t("title")}</CardTitle>
        <CardDescription>{t("description")}</CardDescription>
      </CardHeader>
      <CardContent>
        {remove.isSuccess ? (
          <Alert variant="success" role="status">
            {t("deleted")}
          </Alert>
        ) : (
          <form className="flex flex-col gap-4" onSubmit={submit}>
            <Field>
              <Label htmlFor={`${id}-confirm`}>{t("confirmLabel", { confirmation: email })}</Label>
              <Input id={`${id}-confirm`} type="email" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} maxLength={320} />
            </Field>
            <FormError message={error} />
            <Button type="submit" variant="danger" className="self-start" disabled={remove.isPending || typed.trim().length === 0}>
              <UserX aria-hidden="true" />
              {remove.isPending ? tc("working") : t("submit")}
            </Button>
          </form>
        )}
      </CardContent>
    </Card>
  );
};
