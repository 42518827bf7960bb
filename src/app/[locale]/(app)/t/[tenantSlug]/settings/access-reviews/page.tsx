import type { Metadata } from "next";
import { getFormatter, getTranslations, setRequestLocale } from "next-intl/server";
import { RestrictedPage } from "~/components/layout/page-frame";
import { SettingsSubpageHeader } from "~/components/layout/settings-subpage-header";
import { Alert } from "~/components/ui/alert";
import { Card, CardContent, CardHeader, CardTitle } from "~/components/ui/card";
import { IntervalForm } from "~/features/access-reviews/interval-form";
import { ReviewHistory } from "~/features/access-reviews/review-history";
import { ReviewPanel } from "~/features/access-reviews/review-panel";
import { SuspendedNotice } from "~/features/tenant/suspended-notice";
import { hasRole } from "~/lib/roles";
import { loadTenant } from "~/lib/server-pages/load-tenant";
import { loadOrNotFound } from "~/lib/server-pages/not-found";
import { api } from "~/trpc/server";
import { routeLocale } from "~/i18n/route-locale";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string; tenantSlug: string }>; searchParams: Promise<{ review?: string | string[] }> };

export const generateMetadata = async ({ params }: Props): Promise<Metadata> => {
  const { locale: segment } = await params;
  const locale = routeLocale(segment);
  const t = await getTranslations({ locale, namespace: "accessReviews" });
  return { title: t("metaTitle") };
};

/** Access reviews: the schedule, the open review (or a past one, ?review=<id>) and the history. Owners run them; admins read. */
export default async function AccessReviewsPage({ params, searchParams }: Props) {
  const { locale: segment, tenantSlug } = await params;
  const locale = routeLocale(segment);
  setRequestLocale(locale);
  const loaded = await loadTenant(locale, tenantSlug, `/t/${tenantSlug}/settings/access-reviews`);
  if (loaded.suspended) return <SuspendedNotice />;
  const { tenant } = loaded;
  const t = await getTranslations("accessReviews");
  const header = <SettingsSubpageHeader tenantSlug={tenantSlug} backLabel={t("backToSettings")} title={t("title")} lead={t("lead")} />;
  if (!hasRole(tenant.role, "ADMIN")) return <RestrictedPage header={header} message={t("adminsOnly")} />;

  const { review: requested } = await searchParams;
  const [status, history] = await Promise.all([api.accessReview.status({ tenantSlug }), api.accessReview.list({ tenantSlug })]);
  const shownId = (typeof requested === "string" && requested) || status.openReview?.id || null;
  const review = shownId ? await loadOrNotFound(() => api.accessReview.get({ tenantSlug, reviewId: shownId })) : null;
  const format = await getFormatter();
  const day = (d: Date) => format.dateTime(d, "short");

  return (
    <div className="flex flex-col gap-10">
      {header}
      <Card className="max-w-2xl">
        <CardHeader>
          <CardTitle id="review-schedule-title">{t("schedule.title")}</CardTitle>
        </CardHeader>
        <CardContent className="flex flex-col gap-4">
          {status.overdue ? (
            <Alert variant="warning">{t("schedule.overdue", { date: day(status.nextDueAt) })}</Alert>
          ) : (
            <p>{t("schedule.nextDue", { date: day(status.nextDueAt) })}</p>
          )}
          <p className="text-sm text-muted-fg">{status.lastCompletedAt ? t("schedule.lastCompleted", { date: day(status.lastCompletedAt) }) : t("schedule.neverCompleted")}</p>
          {status.canManage ? (
            <IntervalForm tenantSlug={tenantSlug} days={status.intervalDays} />
          ) : (
            <p className="text-sm">{t("schedule.intervalValue", { days: status.intervalDays })}</p>
          )}
        </CardContent>
      </Card>
      <ReviewPanel tenantSlug={tenantSlug} review={review} canManage={status.canManage} />
      <ReviewHistory tenantSlug={tenantSlug} reviews={history} />
    </div>
  );
}
