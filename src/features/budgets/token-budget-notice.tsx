import { Gauge } from "lucide-react";
import { getFormatter, getTranslations } from "next-intl/server";
import { Link } from "~/i18n/navigation";
import { api } from "~/trpc/server";
import { DismissNoticeButton } from "~/components/dismiss-notice-button";

/**
 * The workspace's token-budget banner on every workspace page: for everyone
 * while the month's budget is used up (chat, meetings and tasks are refused
 * until it resets or OC Suite raises it), and for owners the month's one-off
 * 80 % notice until one of them dismisses it. Renders nothing otherwise (any
 * refusal of usage.budget simply means no banner).
 */
export const TokenBudgetNotice = async ({ tenantSlug }: { tenantSlug: string }) => {
  const budget = await api.usage.budget({ tenantSlug }).catch(() => null);
  if (!budget || budget.monthlyTokens === null || (!budget.exhausted && !budget.warningNoticeId)) return null;
  const t = await getTranslations("tokenBudget");
  const format = await getFormatter();
  const values = {
    used: format.number(budget.used),
    budget: format.number(budget.monthlyTokens),
    percent: format.number(budget.used / budget.monthlyTokens, { style: "percent", maximumFractionDigits: 0 }),
    date: format.dateTime(budget.resetsAt, { dateStyle: "long", timeZone: "UTC" }),
  };
  if (budget.exhausted) {
    return (
      <section aria-label={t("region")} className="mb-6 flex items-start gap-2 rounded-md border border-danger/30 bg-danger-soft px-4 py-3 text-sm text-danger" data-testid="token-budget-exhausted">
        <Gauge aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
        <p>{t("exhausted", values)}</p>
      </section>
    );
  }
  return (
    <section aria-label={t("region")} className="mb-6 flex flex-wrap items-start justify-between gap-3 rounded-md border border-warning/30 bg-warning-soft px-4 py-3 text-sm text-warning" data-testid="token-budget-warning">
      <div className="flex items-start gap-2">
        <Gauge aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
        <p>
          {t("warning", values)}{" "}
          <Link href={`/t/${tenantSlug}/usage`} className="font-medium underline">
            {t("usageLink")}
          </Link>
        </p>
      </div>
      {budget.warningNoticeId ? <DismissNoticeButton tenantSlug={tenantSlug} id={budget.warningNoticeId} label={t("dismiss")} /> : null}
    </section>
  );
};
