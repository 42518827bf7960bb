"use client";

import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { signInWithPassword } from "./auth-client";
import { useAuthErrorMessage } from "./use-auth-error";

export const PasswordSignInForm = ({ callbackUrl }: { callbackUrl: string }) => {
  const t = useTranslations("auth.signIn");
  const tc = useTranslations("common");
  const te = useTranslations("auth.errors");
  const authError = useAuthErrorMessage();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    setPending(true);
    setError(null);
    try {
      const result = await signInWithPassword({ email: String(data.get("email") ?? ""), password: String(data.get("password") ?? ""), callbackUrl });
      if (result.ok) {
        window.location.assign(callbackUrl);
        return;
      }
      setError(authError(result, { credentials: true }));
    } catch {
      setError(te("network"));
    }
    setPending(false);
  };

  return (
    <form className="flex flex-col gap-4" onSubmit={(e) => void onSubmit(e)} aria-describedby={error ? "sign-in-error" : undefined}>
      <Field>
        <Label htmlFor="sign-in-email">{t("email")}</Label>
        <Input id="sign-in-email" name="email" type="email" autoComplete="email" required maxLength={320} />
      </Field>
      <Field>
        <Label htmlFor="sign-in-password">{t("password")}</Label>
        <Input id="sign-in-password" name="password" type="password" autoComplete="current-password" required maxLength={200} />
      </Field>
      {error ? (
        <Alert id="sign-in-error" variant="danger" role="alert">
          {error}
        </Alert>
      ) : null}
      <Button type="submit" disabled={pending}>
        {pending ? tc("working") : t("submit")}
      </Button>
    </form>
  );
};
