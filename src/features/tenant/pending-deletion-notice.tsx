import { Trash2 } from "lucide-react";
import { getFormatter, getTranslations } from "next-intl/server";
import { Link } from "~/i18n/navigation";
import { api } from "~/trpc/server";

/**
 * The banner on every page of a workspace scheduled for deletion (issue 16): when it goes and that
 * it is read-only until then; owners get the way to cancel (the privacy centre). Renders nothing
 * otherwise, or when the state cannot be read (like the other workspace notices).
 */
export const PendingDeletionNotice = async ({ tenantSlug }: { tenantSlug: string }) => {
  const status = await api.deletion.status({ tenantSlug }).catch(() => null);
  if (status?.status !== "PENDING_DELETION" || !status.scheduledFor) return null;
  const t = await getTranslations("privacyDeletion.banner");
  const format = await getFormatter();
  return (
    <section aria-label={t("region")} className="mb-6 flex flex-wrap items-start gap-2 rounded-md border border-danger/30 bg-danger-soft px-4 py-3 text-sm text-danger" data-testid="pending-deletion-notice">
      <Trash2 aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
      <p>
        {t("body", { date: format.dateTime(status.scheduledFor, { dateStyle: "long", timeZone: "UTC" }) })}{" "}
        {status.canManage ? (
          <Link href={`/t/${tenantSlug}/settings/privacy#workspace-deletion`} className="font-medium underline">
            {t("manage")}
          </Link>
        ) : null}
      </p>
    </section>
  );
};
