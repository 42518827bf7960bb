"use client";

import { useTranslations } from "next-intl";
import type { FormEvent } from "react";
import { FormError } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { signInWithPassword } from "./auth-client";
import { useAuthSubmit } from "./use-auth-submit";

export const PasswordSignInForm = ({ callbackUrl }: { callbackUrl: string }) => {
  const t = useTranslations("auth.signIn");
  const tc = useTranslations("common");
  const { pending, error, submit } = useAuthSubmit({ credentials: true });

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const input = { email: String(data.get("email") ?? ""), password: String(data.get("password") ?? ""), callbackUrl };
    // A full page load: the new session cookie must reach every server component.
    void submit(() => signInWithPassword(input), () => window.location.assign(callbackUrl));
  };

  return (
    <form className="flex flex-col gap-4" onSubmit={onSubmit} aria-describedby={error ? "sign-in-error" : undefined}>
      <Field>
        <Label htmlFor="sign-in-email">{t("email")}</Label>
        <Input id="sign-in-email" name="email" type="email" autoComplete="email" required maxLength={320} />
      </Field>
      <Field>
        <Label htmlFor="sign-in-password">{t("password")}</Label>
        <Input id="sign-in-password" name="password" type="password" autoComplete="current-password" required maxLength={200} />
      </Field>
      <FormError id="sign-in-error" message={error} />
      <Button type="submit" disabled={pending}>
        {pending ? tc("working") : t("submit")}
      </Button>
    </form>
  );
};
