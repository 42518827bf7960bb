"use client";

import { KeyRound } from "lucide-react";
import { useTranslations } from "next-intl";
import { Button } from "~/components/ui/button";
import { CsrfPostForm } from "~/components/forms/csrf-post-form";

export const SsoButton = ({ providerName, callbackUrl }: { providerName: string; callbackUrl: string }) => {
  const t = useTranslations("auth.signIn");
  return (
    <CsrfPostForm action="/api/auth/signin/oidc" fields={{ callbackUrl }}>
      <Button type="submit" variant="secondary" className="w-full">
        <KeyRound aria-hidden="true" />
        {t("sso", { name: providerName })}
      </Button>
    </CsrfPostForm>
  );
};
