import { ArrowLeft } from "lucide-react";
import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { PageHeader } from "~/components/layout/page-frame";
import { Alert } from "~/components/ui/alert";
import { loadChatPersonas } from "~/features/chat/server";
import { NewMeetingForm } from "~/features/meetings/new-meeting-form";
import { loadTenant } from "~/lib/server-pages/load-tenant";
import { SuspendedNotice } from "~/features/tenant/suspended-notice";
import { Link } from "~/i18n/navigation";
import { hasRole } from "~/lib/roles";
import { routeLocale } from "~/i18n/route-locale";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string; tenantSlug: string }> };

export const generateMetadata = async ({ params }: Props): Promise<Metadata> => {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  const t = await getTranslations({ locale, namespace: "meetings" });
  return { title: t("newMetaTitle") };
};

export default async function NewMeetingPage({ params }: Props) {
  const { locale: segment, tenantSlug } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  const loaded = await loadTenant(locale, tenantSlug, `/t/${tenantSlug}/meetings/new`);
  if (loaded.suspended) return <SuspendedNotice />;
  const t = await getTranslations("meetings");
  const canWrite = hasRole(loaded.tenant.role, "MEMBER");
  return (
    <div className="flex flex-col gap-4">
      <Link href={`/t/${tenantSlug}/meetings`} className="inline-flex items-center gap-1 self-start text-sm text-accent underline hover:text-accent-hover">
        <ArrowLeft aria-hidden="true" className="size-4" />
        {t("backToMeetings")}
      </Link>
      <PageHeader title={t("newTitle")} lead={t("newLead")} />
      {canWrite ? <NewMeetingForm tenantSlug={tenantSlug} personas={await loadChatPersonas(tenantSlug)} /> : <Alert variant="info">{t("viewerNotice")}</Alert>}
    </div>
  );
}
