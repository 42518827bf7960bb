"use client";

import { Mail } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { useRouter } from "~/i18n/navigation";
import { requestMagicLink } from "./auth-client";
import { useAuthErrorMessage } from "./use-auth-error";

export const MagicLinkForm = ({ callbackUrl }: { callbackUrl: string }) => {
  const t = useTranslations("auth.signIn");
  const tc = useTranslations("common");
  const te = useTranslations("auth.errors");
  const authError = useAuthErrorMessage();
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    setPending(true);
    setError(null);
    try {
      const result = await requestMagicLink({ email: String(data.get("email") ?? ""), callbackUrl });
      if (result.ok) {
        router.push("/sign-in/check-email");
        return;
      }
      setError(authError(result, { credentials: false }));
    } catch {
      setError(te("network"));
    }
    setPending(false);
  };

  return (
    <form className="flex flex-col gap-4" onSubmit={(e) => void onSubmit(e)}>
      <Field>
        <Label htmlFor="magic-link-email">{t("magicEmail")}</Label>
        <Input id="magic-link-email" name="email" type="email" autoComplete="email" required maxLength={320} />
      </Field>
      {error ? (
        <Alert variant="danger" role="alert">
          {error}
        </Alert>
      ) : null}
      <Button type="submit" variant="secondary" disabled={pending}>
        <Mail aria-hidden="true" />
        {pending ? tc("working") : t("magicSubmit")}
      </Button>
    </form>
  );
};
