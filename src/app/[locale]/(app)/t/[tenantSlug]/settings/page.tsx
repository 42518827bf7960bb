import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { PageHeader } from "~/components/layout/page-frame";
import { Alert } from "~/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "~/components/ui/card";
import { RenameWorkspaceForm } from "~/features/settings/rename-workspace-form";
import { loadTenant } from "~/lib/server-pages/load-tenant";
import { SuspendedNotice } from "~/features/tenant/suspended-notice";
import { TenantProfileForm } from "~/features/tenant/tenant-profile-form";
import { Link } from "~/i18n/navigation";
import { hasRole } from "~/lib/roles";
import { routeLocale } from "~/i18n/route-locale";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string; tenantSlug: string }> };

export const generateMetadata = async ({ params }: Props): Promise<Metadata> => {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  const t = await getTranslations({ locale, namespace: "settings" });
  return { title: t("metaTitle") };
};

export default async function SettingsPage({ params }: Props) {
  const { locale: segment, tenantSlug } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  const loaded = await loadTenant(locale, tenantSlug, `/t/${tenantSlug}/settings`);
  if (loaded.suspended) return <SuspendedNotice />;
  const { tenant } = loaded;
  const t = await getTranslations("settings");
  const tp = await getTranslations("providers");
  const tpe = await getTranslations("personas");
  const tar = await getTranslations("accessReviews");
  const tk = await getTranslations("keys");
  const tpr = await getTranslations("privacy");
  return (
    <div className="flex max-w-2xl flex-col gap-6">
      <PageHeader title={t("title")} lead={tenant.name} />
      {hasRole(tenant.role, "ADMIN") ? (
        <>
          <Card>
            <CardHeader>
              <CardTitle id="rename-title">{t("renameTitle")}</CardTitle>
            </CardHeader>
            <CardContent>
              <RenameWorkspaceForm tenantSlug={tenantSlug} name={tenant.name} />
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle id="profile-title">{t("profileTitle")}</CardTitle>
              <CardDescription>{t("profileLead")}</CardDescription>
            </CardHeader>
            <CardContent>
              <TenantProfileForm tenantSlug={tenantSlug} industry={tenant.industry} description={tenant.description} />
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle id="providers-title">{tp("settingsCardTitle")}</CardTitle>
            </CardHeader>
            <CardContent className="flex flex-col items-start gap-3">
              <p className="text-sm text-muted-fg">{tp("settingsCardBody")}</p>
              <Link href={`/t/${tenantSlug}/settings/providers`} className="text-sm font-medium text-accent underline hover:text-accent-hover">
                {tp("settingsLink")}
              </Link>
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle id="personas-title">{tpe("settingsCardTitle")}</CardTitle>
            </CardHeader>
            <CardContent className="flex flex-col items-start gap-3">
              <p className="text-sm text-muted-fg">{tpe("settingsCardBody")}</p>
              <Link href={`/t/${tenantSlug}/settings/personas`} className="text-sm font-medium text-accent underline hover:text-accent-hover">
                {tpe("settingsLink")}
              </Link>
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle id="access-reviews-title">{tar("settingsCardTitle")}</CardTitle>
            </CardHeader>
            <CardContent className="flex flex-col items-start gap-3">
              <p className="text-sm text-muted-fg">{tar("settingsCardBody")}</p>
              <Link href={`/t/${tenantSlug}/settings/access-reviews`} className="text-sm font-medium text-accent underline hover:text-accent-hover">
                {tar("settingsLink")}
              </Link>
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle id="security-title">{tk("settingsCardTitle")}</CardTitle>
            </CardHeader>
            <CardContent className="flex flex-col items-start gap-3">
              <p className="text-sm text-muted-fg">{tk("settingsCardBody")}</p>
              <Link href={`/t/${tenantSlug}/settings/security`} className="text-sm font-medium text-accent underline hover:text-accent-hover">
                {tk("settingsLink")}
              </Link>
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle id="privacy-title">{tpr("settingsCardTitle")}</CardTitle>
            </CardHeader>
            <CardContent className="flex flex-col items-start gap-3">
              <p className="text-sm text-muted-fg">{tpr("settingsCardBody")}</p>
              <Link href={`/t/${tenantSlug}/settings/privacy`} className="text-sm font-medium text-accent underline hover:text-accent-hover">
                {tpr("settingsLink")}
              </Link>
            </CardContent>
          </Card>
        </>
      ) : (
        <Alert variant="info">{t("adminsOnly")}</Alert>
      )}
    </div>
  );
}
