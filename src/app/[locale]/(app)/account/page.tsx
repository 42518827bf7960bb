import type { Metadata } from "next";
import { getFormatter, getTranslations, setRequestLocale } from "next-intl/server";
import { PageHeader } from "~/components/layout/page-frame";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "~/components/ui/card";
import { DeleteAccountSection } from "~/features/account/delete-account-section";
import { ExportMyData } from "~/features/account/export-my-data";
import { SignOutEverywhereButton } from "~/features/account/sign-out-everywhere-button";
import { requireSession } from "~/lib/server-pages/require-session";
import { LocaleSwitcher } from "~/components/shell/locale-switcher";
import { ThemeChoice } from "~/components/theme/theme-choice";
import { LEGAL_VERSION } from "~/lib/legal";
import { api } from "~/trpc/server";
import { routeLocale } from "~/i18n/route-locale";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }> };

export const generateMetadata = async ({ params }: Props): Promise<Metadata> => {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  const t = await getTranslations({ locale, namespace: "account" });
  return { title: t("metaTitle") };
};

export default async function AccountPage({ params }: Props) {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  await requireSession(locale, "/account");
  const t = await getTranslations("account");
  const tTheme = await getTranslations("theme");
  const [me, workspaces, tExport] = await Promise.all([api.account.me(), api.tenant.list(), getTranslations("privacyExport")]);
  const [tLegal, format] = await Promise.all([getTranslations("legal"), getFormatter()]);

  return (
    <div className="flex max-w-2xl flex-col gap-6">
      <PageHeader title={t("title")} />
      <Card>
        <CardHeader>
          <CardTitle id="profile-title">{t("profile")}</CardTitle>
        </CardHeader>
        <CardContent>
          <dl className="grid gap-3 sm:grid-cols-[8rem_1fr]">
            <dt className="text-sm text-muted-fg">{t("email")}</dt>
            <dd className="break-all font-medium">{me.email}</dd>
            <dt className="text-sm text-muted-fg">{t("name")}</dt>
            <dd className="font-medium">{me.name ?? t("noName")}</dd>
          </dl>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle id="language-title">{t("language")}</CardTitle>
          <CardDescription>{t("languageHint")}</CardDescription>
        </CardHeader>
        <CardContent>
          <LocaleSwitcher persist label={t("languageLabel")} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle id="theme-title">{tTheme("title")}</CardTitle>
          <CardDescription id="theme-hint">{tTheme("hint")}</CardDescription>
        </CardHeader>
        <CardContent>
          <ThemeChoice describedBy="theme-hint" />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle id="legal-title">{tLegal("acceptedTitle")}</CardTitle>
        </CardHeader>
        {/* The Terms/Privacy version recorded at sign-up (or at the first magic-link / SSO sign-in). */}
        <CardContent className="flex flex-col gap-1 text-sm" data-testid="legal-accepted">
          {me.legalVersionAccepted && me.legalAcceptedAt ? (
            <>
              <p>{tLegal("accepted", { version: me.legalVersionAccepted, date: format.dateTime(me.legalAcceptedAt, { dateStyle: "long" }) })}</p>
              <p className="text-muted-fg">{me.legalVersionAccepted === LEGAL_VERSION ? tLegal("acceptedCurrent") : tLegal("acceptedOutdated", { version: LEGAL_VERSION })}</p>
            </>
          ) : (
            <p className="text-muted-fg">{tLegal("notAccepted", { version: LEGAL_VERSION })}</p>
          )}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle id="export-my-data-title">{tExport("userTitle")}</CardTitle>
          <CardDescription>{tExport("userLead")}</CardDescription>
        </CardHeader>
        <CardContent>
          <ExportMyData workspaces={workspaces.map((w) => ({ slug: w.slug, name: w.name }))} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle id="sessions-title">{t("sessions")}</CardTitle>
          <CardDescription>{t("activeSessions", { count: me.activeSessions })}</CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-3">
          <p id="sign-out-everywhere-hint" className="text-sm text-muted-fg">
            {t("signOutEverywhereHint")}
          </p>
          <SignOutEverywhereButton />
        </CardContent>
      </Card>
      <DeleteAccountSection email={me.email} />
    </div>
  );
}
