import type { Metadata } from "next";
import { getFormatter, getTranslations, setRequestLocale } from "next-intl/server";
import { PageHeader } from "~/components/layout/page-frame";
import { OverviewSections } from "~/features/home/overview-sections";
import { OnboardingChecklist, RestoreOnboardingButton } from "~/features/onboarding/onboarding-checklist";
import { loadTenant } from "~/lib/server-pages/load-tenant";
import { RoleBadge } from "~/features/tenant/role-badge";
import { SuspendedNotice } from "~/features/tenant/suspended-notice";
import { hasRole } from "~/lib/roles";
import { api } from "~/trpc/server";
import { routeLocale } from "~/i18n/route-locale";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string; tenantSlug: string }> };

export const generateMetadata = async ({ params }: Props): Promise<Metadata> => {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  const t = await getTranslations({ locale, namespace: "tenant" });
  return { title: t("metaTitle") };
};

/** The workspace's home: the onboarding checklist while unfinished, then what needs the user now. */
export default async function TenantHomePage({ params }: Props) {
  const { locale: segment, tenantSlug } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  const loaded = await loadTenant(locale, tenantSlug, `/t/${tenantSlug}`);
  if (loaded.suspended) return <SuspendedNotice />;
  const { tenant } = loaded;
  const [t, th, format, checklist, overview] = await Promise.all([
    getTranslations("tenant"),
    getTranslations("home"),
    getFormatter(),
    api.onboarding.get({ tenantSlug }),
    api.overview.get({ tenantSlug }),
  ]);

  return (
    <div className="flex flex-col gap-8">
      <PageHeader title={tenant.name} lead={th("lead")} />
      {checklist.total > 0 && !checklist.dismissed ? <OnboardingChecklist tenantSlug={tenantSlug} checklist={checklist} /> : null}
      {checklist.dismissed && checklist.canManage ? <RestoreOnboardingButton tenantSlug={tenantSlug} /> : null}
      <OverviewSections tenantSlug={tenantSlug} overview={overview} canSeeUsage={hasRole(tenant.role, "ADMIN")} />
      <section aria-labelledby="overview-about" className="flex flex-col gap-3">
        <h2 id="overview-about" className="text-lg font-semibold">
          {th("aboutTitle")}
        </h2>
        <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <div className="rounded-lg border border-border bg-surface p-4">
            <dt className="text-sm text-muted-fg">{t("yourRole")}</dt>
            <dd className="mt-2">
              <RoleBadge role={tenant.role} />
            </dd>
          </div>
          <div className="rounded-lg border border-border bg-surface p-4">
            <dt className="text-sm text-muted-fg">{t("memberCount")}</dt>
            <dd className="mt-1 text-xl font-semibold">{t("memberCountValue", { count: tenant.memberCount })}</dd>
          </div>
          <div className="rounded-lg border border-border bg-surface p-4">
            <dt className="text-sm text-muted-fg">{t("created")}</dt>
            <dd className="mt-1 text-xl font-semibold">
              <time dateTime={tenant.createdAt.toISOString()}>{format.dateTime(tenant.createdAt, "short")}</time>
            </dd>
          </div>
          <div className="rounded-lg border border-border bg-surface p-4">
            <dt className="text-sm text-muted-fg">{t("plan")}</dt>
            <dd className="mt-1 text-xl font-semibold capitalize">{tenant.plan}</dd>
          </div>
        </dl>
      </section>
    </div>
  );
}
