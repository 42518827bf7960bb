import { useFormatter, useTranslations } from "next-intl";
import { Link } from "~/i18n/navigation";
import type { RouterOutputs } from "~/trpc/react";
import { CompleteReviewButton, StartReviewButton } from "./review-actions";
import { ReviewLines } from "./review-lines";

type Review = RouterOutputs["accessReview"]["get"];

/**
 * The review on the page: the open one (owners decide its lines and complete
 * it), a past one opened from the history (read-only), or, with none open,
 * the owners' "Start a review".
 */
export const ReviewPanel = ({ tenantSlug, review, canManage }: { tenantSlug: string; review: Review | null; canManage: boolean }) => {
  const t = useTranslations("accessReviews");
  const format = useFormatter();
  if (!review) {
    return (
      <section aria-labelledby="current-review-title" className="flex flex-col items-start gap-3">
        <h2 id="current-review-title" className="text-xl font-semibold">
          {t("current.title")}
        </h2>
        <p>{t("current.none")}</p>
        <p className="max-w-2xl text-sm text-muted-fg">{t("current.startHint")}</p>
        {canManage ? <StartReviewButton tenantSlug={tenantSlug} /> : <p className="text-sm text-muted-fg">{t("current.ownersOnly")}</p>}
      </section>
    );
  }
  const isOpen = review.status === "open";
  const decided = review.counts.total - review.counts.undecided;
  const opened = format.dateTime(review.openedAt, "short");
  return (
    <section aria-labelledby="current-review-title" className="flex flex-col gap-6">
      <div className="flex flex-col gap-2">
        <h2 id="current-review-title" className="text-xl font-semibold">
          {isOpen ? t("current.title") : t("past.title", { date: opened })}
        </h2>
        <p className="text-sm text-muted-fg">
          {t("current.openedBy", { date: opened, who: review.openedBy ?? t("deletedUser") })}{" "}
          {review.completedAt ? t("past.completedBy", { date: format.dateTime(review.completedAt, "short"), who: review.completedBy ?? t("deletedUser") }) : null}
        </p>
        {isOpen ? null : (
          <Link href={`/t/${tenantSlug}/settings/access-reviews`} className="self-start text-sm text-accent underline hover:text-accent-hover">
            {t("past.backToCurrent")}
          </Link>
        )}
      </div>
      <div className="flex max-w-md flex-col gap-1">
        <progress aria-label={t("current.progressLabel")} value={decided} max={Math.max(review.counts.total, 1)} className="h-2 w-full accent-accent" />
        <p className="text-sm" aria-live="polite">
          {t("current.progress", { decided, total: review.counts.total })}
        </p>
      </div>
      <ReviewLines tenantSlug={tenantSlug} review={review} canDecide={isOpen && canManage} />
      {isOpen && canManage ? <CompleteReviewButton tenantSlug={tenantSlug} reviewId={review.id} ready={review.counts.undecided === 0} /> : null}
      {isOpen && !canManage ? <p className="text-sm text-muted-fg">{t("current.ownersOnly")}</p> : null}
    </section>
  );
};
