import { ShieldAlert } from "lucide-react";
import { getFormatter, getTranslations } from "next-intl/server";
import { Link } from "~/i18n/navigation";
import { api } from "~/trpc/server";
import { DismissNoticeButton } from "~/components/dismiss-notice-button";

/**
 * The owners' banner for support sessions OC Suite staff opened on this
 * workspace, until an owner dismisses it. Renders nothing for everyone else
 * (support.notices is OWNER-only; any refusal simply means no banner).
 */
export const SupportNotice = async ({ tenantSlug }: { tenantSlug: string }) => {
  const notices = await api.support.notices({ tenantSlug }).catch(() => []);
  if (notices.length === 0) return null;
  const t = await getTranslations("support");
  const format = await getFormatter();
  return (
    <section aria-label={t("noticeRegion")} className="mb-6 flex flex-col gap-3">
      {notices.map((n) => (
        <div key={n.id} className="flex flex-wrap items-start justify-between gap-3 rounded-md border border-warning/30 bg-warning-soft px-4 py-3 text-sm text-warning">
          <div className="flex items-start gap-2">
            <ShieldAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
            <p>
              {t("noticeText", { reason: n.reason, until: format.dateTime(n.expiresAt, "long") })}{" "}
              <Link href={`/t/${tenantSlug}/audit?action=support_session.`} className="font-medium underline">
                {t("noticeLink")}
              </Link>
            </p>
          </div>
          <DismissNoticeButton tenantSlug={tenantSlug} id={n.id} label={t("noticeDismiss")} />
        </div>
      ))}
    </section>
  );
};
