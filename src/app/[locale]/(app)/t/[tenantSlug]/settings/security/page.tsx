import type { Metadata } from "next";
import { getNow, getTranslations, setRequestLocale } from "next-intl/server";
import { RestrictedPage } from "~/components/layout/page-frame";
import { SettingsSubpageHeader } from "~/components/layout/settings-subpage-header";
import { SecurityView } from "~/features/keys/security-view";
import { SuspendedNotice } from "~/features/tenant/suspended-notice";
import { loadTenant } from "~/lib/server-pages/load-tenant";
import { hasRole } from "~/lib/roles";
import { api } from "~/trpc/server";
import { routeLocale } from "~/i18n/route-locale";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string; tenantSlug: string }> };

export const generateMetadata = async ({ params }: Props): Promise<Metadata> => {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  const t = await getTranslations({ locale, namespace: "keys" });
  return { title: t("metaTitle") };
};

/** A workspace's encryption keys, for its owners (who act) and admins (who look); keys.status refuses everyone else too. */
export default async function SecurityPage({ params }: Props) {
  const { locale: segment, tenantSlug } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  const loaded = await loadTenant(locale, tenantSlug, `/t/${tenantSlug}/settings/security`);
  if (loaded.suspended) return <SuspendedNotice />;
  const { tenant } = loaded;
  const t = await getTranslations("keys");
  const header = <SettingsSubpageHeader tenantSlug={tenantSlug} backLabel={t("backToSettings")} title={t("title")} lead={t("lead")} />;
  if (!hasRole(tenant.role, "ADMIN")) return <RestrictedPage header={header} message={t("adminsOnly")} />;
  const [status, now] = await Promise.all([api.keys.status({ tenantSlug }), getNow()]);
  return (
    <div className="flex flex-col gap-2">
      {header}
      <SecurityView tenantSlug={tenantSlug} isOwner={hasRole(tenant.role, "OWNER")} initial={status} renderedAt={now.getTime()} />
    </div>
  );
}
