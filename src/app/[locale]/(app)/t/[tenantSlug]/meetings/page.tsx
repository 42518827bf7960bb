import { Plus } from "lucide-react";
import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { PageHeader } from "~/components/layout/page-frame";
import { buttonVariants } from "~/components/ui/button";
import { MeetingsList } from "~/features/meetings/meetings-list";
import { loadTenant } from "~/lib/server-pages/load-tenant";
import { SuspendedNotice } from "~/features/tenant/suspended-notice";
import { Link } from "~/i18n/navigation";
import { hasRole } from "~/lib/roles";
import { api } from "~/trpc/server";
import { routeLocale } from "~/i18n/route-locale";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string; tenantSlug: string }> };

export const generateMetadata = async ({ params }: Props): Promise<Metadata> => {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  const t = await getTranslations({ locale, namespace: "meetings" });
  return { title: t("metaTitle") };
};

/** The workspace's board meetings: status and progress; members start new ones. */
export default async function MeetingsPage({ params }: Props) {
  const { locale: segment, tenantSlug } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  const loaded = await loadTenant(locale, tenantSlug, `/t/${tenantSlug}/meetings`);
  if (loaded.suspended) return <SuspendedNotice />;
  const t = await getTranslations("meetings");
  // Viewers read meetings; starting one takes a member (the server enforces it too).
  const canWrite = hasRole(loaded.tenant.role, "MEMBER");
  const list = await api.meeting.list({ tenantSlug });
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title={t("title")}
        lead={t("lead")}
        actions={
          canWrite ? (
            <Link href={`/t/${tenantSlug}/meetings/new`} className={buttonVariants()}>
              <Plus aria-hidden="true" />
              {t("newMeeting")}
            </Link>
          ) : null
        }
      />
      <MeetingsList tenantSlug={tenantSlug} initial={list} canWrite={canWrite} />
    </div>
  );
}
