import { CalendarClock } from "lucide-react";
import { getFormatter, getTranslations } from "next-intl/server";
import { Link } from "~/i18n/navigation";
import { api } from "~/trpc/server";

/**
 * The owners' banner on every workspace page while an access review is
 * overdue, linking to the review page. Renders nothing for everyone else
 * (accessReview.status is for owners and admins; admins cannot run reviews,
 * and any refusal simply means no banner).
 */
export const AccessReviewNotice = async ({ tenantSlug }: { tenantSlug: string }) => {
  const status = await api.accessReview.status({ tenantSlug }).catch(() => null);
  if (!status?.overdue || !status.canManage) return null;
  const t = await getTranslations("accessReviews.notice");
  const format = await getFormatter();
  return (
    <section aria-label={t("region")} className="mb-6 flex items-start gap-2 rounded-md border border-warning/30 bg-warning-soft px-4 py-3 text-sm text-warning">
      <CalendarClock aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
      <p>
        {t("overdue", { date: format.dateTime(status.nextDueAt, "short") })}{" "}
        {status.openReview ? `${t("inProgress", { decided: status.openReview.decided, total: status.openReview.total })} ` : null}
        <Link href={`/t/${tenantSlug}/settings/access-reviews`} className="font-medium underline">
          {t("link")}
        </Link>
      </p>
    </section>
  );
};
