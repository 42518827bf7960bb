import { ArrowLeft } from "lucide-react";
import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { MeetingView } from "~/features/meetings/meeting-view";
import { loadMeeting } from "~/features/meetings/server";
import { loadTenant } from "~/lib/server-pages/load-tenant";
import { SuspendedNotice } from "~/features/tenant/suspended-notice";
import { Link } from "~/i18n/navigation";
import { hasRole } from "~/lib/roles";
import { routeLocale } from "~/i18n/route-locale";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string; tenantSlug: string; meetingId: string }> };

export const generateMetadata = async ({ params }: Props): Promise<Metadata> => {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  const t = await getTranslations({ locale, namespace: "meetings" });
  return { title: t("meetingMetaTitle") };
};

export default async function MeetingPage({ params }: Props) {
  const { locale: segment, tenantSlug, meetingId } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  const loaded = await loadTenant(locale, tenantSlug, `/t/${tenantSlug}/meetings/${meetingId}`);
  if (loaded.suspended) return <SuspendedNotice />;
  const t = await getTranslations("meetings");
  const meeting = await loadMeeting(tenantSlug, meetingId);
  return (
    <div className="flex flex-col gap-4">
      <Link href={`/t/${tenantSlug}/meetings`} className="inline-flex items-center gap-1 self-start text-sm text-accent underline hover:text-accent-hover">
        <ArrowLeft aria-hidden="true" className="size-4" />
        {t("backToMeetings")}
      </Link>
      <MeetingView tenantSlug={tenantSlug} initial={meeting} canWrite={hasRole(loaded.tenant.role, "MEMBER")} />
    </div>
  );
}
