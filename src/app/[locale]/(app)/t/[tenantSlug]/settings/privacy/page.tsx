import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { RestrictedPage } from "~/components/layout/page-frame";
import { SettingsSubpageHeader } from "~/components/layout/settings-subpage-header";
import { Alert } from "~/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "~/components/ui/card";
import { DeleteWorkspacePanel } from "~/features/privacy/delete-workspace-panel";
import { ExportPanel } from "~/features/privacy/export-panel";
import { ResidencyDetails } from "~/features/privacy/residency-details";
import { ResidencyForm } from "~/features/privacy/residency-form";
import { RetentionForm } from "~/features/privacy/retention-form";
import { TelemetryForm } from "~/features/privacy/telemetry-form";
import { SuspendedNotice } from "~/features/tenant/suspended-notice";
import { routeLocale } from "~/i18n/route-locale";
import { loadTenant } from "~/lib/server-pages/load-tenant";
import { hasRole } from "~/lib/roles";
import { api } from "~/trpc/server";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string; tenantSlug: string }> };

export const generateMetadata = async ({ params }: Props): Promise<Metadata> => {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  const t = await getTranslations({ locale, namespace: "privacy" });
  return { title: t("metaTitle") };
};

/**
 * The privacy centre (issue 16): telemetry, data residency and retention (owners change them,
 * admins see them read-only), then the workspace export and deletion panels. Members and viewers
 * get the restricted notice, as on the other admin settings pages; privacy.get refuses them too.
 */
export default async function PrivacyPage({ params }: Props) {
  const { locale: segment, tenantSlug } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  const loaded = await loadTenant(locale, tenantSlug, `/t/${tenantSlug}/settings/privacy`);
  if (loaded.suspended) return <SuspendedNotice />;
  const { tenant } = loaded;
  const t = await getTranslations("privacy");
  const header = <SettingsSubpageHeader tenantSlug={tenantSlug} backLabel={t("backToSettings")} title={t("title")} lead={t("lead")} />;
  if (!hasRole(tenant.role, "ADMIN")) return <RestrictedPage header={header} message={t("adminsOnly")} />;
  const [settings, deletion] = await Promise.all([api.privacy.get({ tenantSlug }), api.deletion.status({ tenantSlug })]);
  const { canEdit } = settings;
  return (
    <div className="flex max-w-3xl flex-col gap-6">
      {header}
      {!canEdit && <Alert variant="info">{t("ownersOnly")}</Alert>}

      <Card>
        <CardHeader>
          <CardTitle id="privacy-telemetry-title">{t("telemetry.title")}</CardTitle>
          <CardDescription>{t("telemetry.lead")}</CardDescription>
        </CardHeader>
        <CardContent>
          <TelemetryForm tenantSlug={tenantSlug} enabled={settings.telemetryEnabled} canEdit={canEdit} />
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle id="privacy-residency-title">{t("residency.title")}</CardTitle>
          <CardDescription>{t("residency.lead")}</CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-4">
          <ResidencyForm tenantSlug={tenantSlug} region={settings.dataResidency} canEdit={canEdit} />
          <ResidencyDetails region={settings.dataResidency} dedicatedStorage={settings.regionalStorage[settings.dataResidency]} />
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle id="privacy-retention-title">{t("retention.title")}</CardTitle>
          <CardDescription>{t("retention.lead")}</CardDescription>
        </CardHeader>
        <CardContent>
          <RetentionForm tenantSlug={tenantSlug} retention={settings.retention} canEdit={canEdit} />
        </CardContent>
      </Card>

      <ExportPanel tenantSlug={tenantSlug} />

      <DeleteWorkspacePanel tenantSlug={tenantSlug} initial={deletion} />
    </div>
  );
}
