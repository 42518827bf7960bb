import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { Alert } from "~/components/ui/alert";
import { Card, CardContent, CardHeader } from "~/components/ui/card";
import { env, oidcEnabled } from "~/env";
import { afterSignInUrl } from "~/features/auth/callback-url";
import { safeRelativePath } from "~/lib/safe-redirect";
import { MagicLinkForm } from "~/features/auth/magic-link-form";
import { PasswordSignInForm } from "~/features/auth/password-sign-in-form";
import { SsoButton } from "~/features/auth/sso-button";
import { LegalAgreementText } from "~/components/layout/legal-agreement";
import { Link } from "~/i18n/navigation";
import { routeLocale } from "~/i18n/route-locale";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export const generateMetadata = async ({ params }: Props): Promise<Metadata> => {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  const t = await getTranslations({ locale, namespace: "auth.signIn" });
  return { title: t("metaTitle") };
};

const KNOWN_ERRORS = new Set(["CredentialsSignin", "Verification", "OAuthAccountNotLinked", "AccessDenied", "Configuration"]);

export default async function SignInPage({ params, searchParams }: Props) {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  const query = await searchParams;
  const t = await getTranslations("auth.signIn");
  const te = await getTranslations("auth.errors");
  const callbackUrl = safeRelativePath(query.callbackUrl, `/${locale}/workspaces`);
  const errorCode = typeof query.error === "string" ? query.error : null;
  const errorText = errorCode ? te(KNOWN_ERRORS.has(errorCode) ? (errorCode as "default") : "default") : null;
  // The auth endpoints come back through /after-sign-in (stored locale), then to callbackUrl.
  const landing = afterSignInUrl(locale, callbackUrl);
  const sso = oidcEnabled() ? (env.AUTH_OIDC_NAME ?? "SSO") : null;

  return (
    <div className="mx-auto flex w-full max-w-md flex-col gap-6">
      <h1 className="text-3xl font-bold tracking-tight">{t("title")}</h1>
      {errorText ? (
        <Alert variant="danger" role="alert">
          {errorText}
        </Alert>
      ) : null}
      {/* A magic link or SSO creates the account on first use, with no form to tick a box on: this
          notice is the agreement, and auth/config.ts records the version in force on that account. */}
      <p className="text-sm text-muted-fg">
        <LegalAgreementText message="continuingAgrees" />
      </p>
      <Card>
        <CardContent className="flex flex-col gap-6 pt-6">
          <PasswordSignInForm callbackUrl={landing} />
          {sso ? (
            <>
              <p className="text-center text-sm text-muted-fg">{t("or")}</p>
              <SsoButton providerName={sso} callbackUrl={landing} />
            </>
          ) : null}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <h2 id="magic-link-title" className="text-lg font-semibold">
            {t("magicTitle")}
          </h2>
        </CardHeader>
        <CardContent>
          <MagicLinkForm callbackUrl={landing} />
        </CardContent>
      </Card>
      <p className="text-sm text-muted-fg">
        {t("noAccount")}{" "}
        <Link href={{ pathname: "/sign-up", query: { callbackUrl } }} className="font-medium text-accent underline hover:text-accent-hover">
          {t("signUpLink")}
        </Link>
      </p>
    </div>
  );
}
