"use client";

import { Mail } from "lucide-react";
import { useTranslations } from "next-intl";
import type { FormEvent } from "react";
import { FormError } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { useRouter } from "~/i18n/navigation";
import { requestMagicLink } from "./auth-client";
import { useAuthSubmit } from "./use-auth-submit";

export const MagicLinkForm = ({ callbackUrl }: { callbackUrl: string }) => {
  const t = useTranslations("auth.signIn");
  const tc = useTranslations("common");
  const router = useRouter();
  const { pending, error, submit } = useAuthSubmit({ credentials: false });

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const email = String(new FormData(e.currentTarget).get("email") ?? "");
    void submit(() => requestMagicLink({ email, callbackUrl }), () => router.push("/sign-in/check-email"));
  };

  return (
    <form className="flex flex-col gap-4" onSubmit={onSubmit}>
      <Field>
        <Label htmlFor="magic-link-email">{t("magicEmail")}</Label>
        <Input id="magic-link-email" name="email" type="email" autoComplete="email" required maxLength={320} />
      </Field>
      <FormError message={error} />
      <Button type="submit" variant="secondary" disabled={pending}>
        <Mail aria-hidden="true" />
        {pending ? tc("working") : t("magicSubmit")}
      </Button>
    </form>
  );
};
