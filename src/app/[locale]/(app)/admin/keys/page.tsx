import type { Metadata } from "next";
import { getNow, getTranslations, setRequestLocale } from "next-intl/server";
import { PageHeader } from "~/components/layout/page-frame";
import { NotAllowed } from "~/features/admin/not-allowed";
import { FleetView } from "~/features/keys/fleet-view";
import { loadForPlatformAdmin } from "~/lib/server-pages/platform-admin";
import { requireSession } from "~/lib/server-pages/require-session";
import { api } from "~/trpc/server";
import { routeLocale } from "~/i18n/route-locale";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }> };

export const generateMetadata = async ({ params }: Props): Promise<Metadata> => {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  const t = await getTranslations({ locale, namespace: "adminKeys" });
  return { title: t("metaTitle") };
};

/** Platform admins: data-key age fleet-wide, master-key versions and the rewrap, recent key operations. */
export default async function AdminKeysPage({ params }: Props) {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  await requireSession(locale, "/admin/keys");
  const t = await getTranslations("adminKeys");
  const data = await loadForPlatformAdmin(async () => ({ fleet: await api.admin.keys.fleet() }));
  if (!data.allowed) return <NotAllowed />;
  const now = await getNow();
  return (
    <div className="flex flex-col gap-2">
      <PageHeader title={t("title")} lead={t("lead")} />
      <FleetView initial={data.fleet} renderedAt={now.getTime()} />
    </div>
  );
}
