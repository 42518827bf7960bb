import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { PageHeader } from "~/components/layout/page-frame";
import { NotAllowed } from "~/features/admin/not-allowed";
import { OpsView } from "~/features/reliability/ops-view";
import { loadForPlatformAdmin } from "~/lib/server-pages/platform-admin";
import { requireSession } from "~/lib/server-pages/require-session";
import { api } from "~/trpc/server";
import { routeLocale } from "~/i18n/route-locale";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }> };

export const generateMetadata = async ({ params }: Props): Promise<Metadata> => {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  const t = await getTranslations({ locale, namespace: "reliability.ops" });
  return { title: t("metaTitle") };
};

/** Platform admins: live health and queues, SLOs and budgets, top tenants (the client part keeps the live parts fresh). */
export default async function AdminOpsPage({ params }: Props) {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  await requireSession(locale, "/admin/ops");
  const t = await getTranslations("reliability.ops");
  const data = await loadForPlatformAdmin(async () => {
    const [slos, live, topTenants] = await Promise.all([api.admin.ops.slos(), api.admin.ops.live(), api.admin.ops.topTenants()]);
    return { slos, live, topTenants };
  });
  if (!data.allowed) return <NotAllowed />;
  return (
    <div className="flex flex-col gap-8">
      <PageHeader title={t("title")} lead={t("lead")} />
      <OpsView initial={{ slos: data.slos, live: data.live, topTenants: data.topTenants }} />
    </div>
  );
}
