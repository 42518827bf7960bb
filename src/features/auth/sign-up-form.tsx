"use client";

import { useMutation } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { FormError } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, FieldHint } from "~/components/ui/field";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { LegalAgreementText } from "~/components/layout/legal-agreement";
import { useErrorMessage } from "~/components/hooks/use-error-message";
import { DEFAULT_LOCALE, isLocale } from "~/lib/locales";
import { useTRPC } from "~/trpc/react";

export const PASSWORD_MIN_LENGTH = 10;

/**
 * Creates an unverified account: the password works only after the link mailed
 * to the address is opened (account pre-hijacking), so the form ends on
 * "check your email" instead of signing in.
 */
export const SignUpForm = () => {
  const t = useTranslations("auth.signUp");
  const tc = useTranslations("common");
  const locale = useLocale();
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const signUp = useMutation(trpc.account.signUp.mutationOptions());
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const email = String(data.get("email") ?? "");
    const password = String(data.get("password") ?? "");
    setPending(true);
    setError(null);
    try {
      const created = await signUp.mutateAsync({ name: String(data.get("name") ?? ""), email, password, locale: isLocale(locale) ? locale : DEFAULT_LOCALE, acceptLegal: data.get("acceptLegal") === "on" });
      setSentTo(created.email);
    } catch (err) {
      setError(errorMessage(err));
    }
    setPending(false);
  };

  if (sentTo) {
    return (
      <div role="status" className="flex flex-col gap-2">
        <h2 className="text-xl font-semibold">{t("checkEmailTitle")}</h2>
        <p className="text-muted-fg">{t("checkEmailBody", { email: sentTo })}</p>
      </div>
    );
  }

  return (
    <form className="flex flex-col gap-4" onSubmit={(e) => void onSubmit(e)}>
      <Field>
        <Label htmlFor="sign-up-name">{t("name")}</Label>
        <Input id="sign-up-name" name="name" autoComplete="name" required maxLength={120} />
      </Field>
      <Field>
        <Label htmlFor="sign-up-email">{t("email")}</Label>
        <Input id="sign-up-email" name="email" type="email" autoComplete="email" required maxLength={320} />
      </Field>
      <Field>
        <Label htmlFor="sign-up-password">{t("password")}</Label>
        <Input
          id="sign-up-password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN_LENGTH}
          maxLength={200}
          aria-describedby="sign-up-password-hint"
        />
        <FieldHint id="sign-up-password-hint">{t("passwordRule", { min: PASSWORD_MIN_LENGTH })}</FieldHint>
      </Field>
      {/* Required here and refused by the server without it (ZSignUpInput.acceptLegal), which records the version accepted. */}
      <div className="flex items-start gap-3">
        <input
          id="sign-up-accept-legal"
          name="acceptLegal"
          type="checkbox"
          required
          className="mt-0.5 size-4 shrink-0 accent-accent focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring"
        />
        <Label htmlFor="sign-up-accept-legal" className="font-normal">
          <LegalAgreementText message="agreeLabel" newTab />
        </Label>
      </div>
      <FormError message={error} />
      <Button type="submit" disabled={pending}>
        {pending ? tc("working") : t("submit")}
      </Button>
    </form>
  );
};
