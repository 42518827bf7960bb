import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { PageHeader } from "~/components/layout/page-frame";
import { Alert } from "~/components/ui/alert";
import { UsageView } from "~/features/reliability/usage-view";
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
  const t = await getTranslations({ locale, namespace: "reliability.usage" });
  return { title: t("metaTitle") };
};

/** A workspace's usage and reliability, for its owners and admins (usage.get refuses everyone else too). */
export default async function UsagePage({ params }: Props) {
  const { locale: segment, tenantSlug } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  const loaded = await loadTenant(locale, tenantSlug, `/t/${tenantSlug}/usage`);
  if (loaded.suspended) return <SuspendedNotice />;
  const t = await getTranslations("reliability.usage");
  if (!hasRole(loaded.tenant.role, "ADMIN")) {
    return (
      <div className="flex flex-col gap-6">
        <PageHeader title={t("title")} lead={t("lead")} />
        <Alert variant="info">{t("adminsOnly")}</Alert>
      </div>
    );
  }
  const usage = await api.usage.get({ tenantSlug });
  return (
    <div className="flex flex-col gap-8">
      <PageHeader title={t("title")} lead={t("lead")} />
      <UsageView tenantSlug={tenantSlug} initial={usage} />
    </div>
  );
}
