import { useFormatter, useTranslations } from "next-intl";
import { Badge } from "~/components/ui/badge";
import { Table, Td, Th, THead } from "~/components/ui/table";
import { Link } from "~/i18n/navigation";
import type { RouterOutputs } from "~/trpc/react";

type Summary = RouterOutputs["accessReview"]["list"][number];

/** Every review of the workspace, newest first, each linking to its lines. */
export const ReviewHistory = ({ tenantSlug, reviews }: { tenantSlug: string; reviews: Summary[] }) => {
  const t = useTranslations("accessReviews.history");
  const format = useFormatter();
  const date = (d: Date) => <time dateTime={d.toISOString()}>{format.dateTime(d, "short")}</time>;
  return (
    <section aria-labelledby="review-history-title" className="flex flex-col gap-4">
      <h2 id="review-history-title" className="text-xl font-semibold">
        {t("title")}
      </h2>
      {reviews.length === 0 ? (
        <p className="text-muted-fg">{t("empty")}</p>
      ) : (
        <Table>
          <caption className="sr-only">{t("caption")}</caption>
          <THead>
            <tr>
              <Th>{t("opened")}</Th>
              <Th>{t("status")}</Th>
              <Th>{t("completed")}</Th>
              <Th>{t("completedBy")}</Th>
              <Th>{t("kept")}</Th>
              <Th>{t("revoked")}</Th>
              <Th>
                <span className="sr-only">{t("view")}</span>
              </Th>
            </tr>
          </THead>
          <tbody>
            {reviews.map((r) => (
              <tr key={r.id}>
                <Td>{date(r.openedAt)}</Td>
                <Td>
                  <Badge variant={r.status === "completed" ? "success" : "accent"}>{r.status === "completed" ? t("done") : t("open")}</Badge>
                </Td>
                <Td>{r.completedAt ? date(r.completedAt) : "—"}</Td>
                <Td className="break-all">{r.completedBy ?? "—"}</Td>
                <Td>{r.counts.kept}</Td>
                <Td>{r.counts.revoked}</Td>
                <Td>
                  <Link
                    href={`/t/${tenantSlug}/settings/access-reviews${r.status === "completed" ? `?review=${encodeURIComponent(r.id)}` : ""}`}
                    aria-label={t("viewLabel", { date: format.dateTime(r.openedAt, "short") })}
                    className="text-sm font-medium text-accent underline hover:text-accent-hover"
                  >
                    {t("view")}
                  </Link>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </section>
  );
};
