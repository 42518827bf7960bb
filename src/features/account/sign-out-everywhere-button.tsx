"use client";

import { useMutation } from "@tanstack/react-query";
import { LogOut } from "lucide-react";
import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { FormError } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { useErrorMessage } from "~/components/hooks/use-error-message";
import { useTRPC } from "~/trpc/react";

export const SignOutEverywhereButton = () => {
  const t = useTranslations("account");
  const tc = useTranslations("common");
  const locale = useLocale();
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const [error, setError] = useState<string | null>(null);
  const signOut = useMutation(
    trpc.account.signOutEverywhere.mutationOptions({
      // Full reload: every cached page of this session must go.
      // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- a client-side push would keep the router cache
      onSuccess: () => window.location.assign(`/${locale}/sign-in`),
      onError: (err) => setError(errorMessage(err)),
    }),
  );
  const pending = signOut.isPending || signOut.isSuccess;
  return (
    <div className="flex flex-col gap-3">
      <FormError message={error} />
      <Button
        variant="danger"
        className="self-start"
        disabled={pending}
        aria-describedby="sign-out-everywhere-hint"
        onClick={() => {
          setError(null);
          signOut.mutate();
        }}
      >
        <LogOut aria-hidden="true" />
        {pending ? tc("working") : t("signOutEverywhere")}
      </Button>
    </div>
  );
};
