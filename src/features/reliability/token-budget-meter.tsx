"use client";

import { useFormatter, useTranslations } from "next-intl";
import { Alert } from "~/components/ui/alert";
import type { RouterOutputs } from "~/trpc/react";

type Budget = RouterOutputs["usage"]["get"]["budget"];

/**
 * This month's tokens against the workspace's monthly budget: a progress bar
 * with the figures and the reset date as text (the bar's colour is never the
 * only signal), or the month's total when no limit is set.
 */
export const TokenBudgetMeter = ({ budget }: { budget: Budget }) => {
  const t = useTranslations("reliability.usage");
  const format = useFormatter();
  const used = format.number(budget.used);
  const resets = format.dateTime(budget.resetsAt, { dateStyle: "long", timeZone: "UTC" });
  const limit = budget.monthlyTokens;

  return (
    <section aria-labelledby="usage-budget-title" className="flex flex-col gap-3" data-testid="token-budget">
      <h2 id="usage-budget-title" className="text-xl font-semibold">
        {t("budgetTitle")}
      </h2>
      <p className="max-w-3xl text-sm text-muted-fg">{t("budgetLead")}</p>
      {limit === null ? (
        <p>{t("budgetUnlimited", { used })}</p>
      ) : (
        <BudgetBar used={budget.used} limit={limit} text={t("budgetUsed", { used, budget: format.number(limit), percent: format.number(budget.used / limit, { style: "percent", maximumFractionDigits: 0 }) })} resets={t("budgetResets", { date: resets })} warning={budget.warning} label={t("budgetBarLabel")} />
      )}
      {budget.exhausted ? <Alert variant="danger">{t("budgetExhausted", { date: resets })}</Alert> : budget.warning ? <Alert variant="warning">{t("budgetWarning")}</Alert> : null}
    </section>
  );
};

const BudgetBar = ({ used, limit, text, resets, warning, label }: { used: number; limit: number; text: string; resets: string; warning: boolean; label: string }) => {
  const percent = Math.min(100, (used / limit) * 100);
  return (
    <div className="flex max-w-xl flex-col gap-2">
      <div className="flex flex-wrap justify-between gap-2 text-sm">
        <span id="usage-budget-bar-label" className="font-medium">
          {label}
        </span>
        <span className="tabular-nums" data-testid="token-budget-figures">
          {text}
        </span>
      </div>
      <div
        role="progressbar"
        aria-labelledby="usage-budget-bar-label"
        aria-valuemin={0}
        aria-valuemax={limit}
        aria-valuenow={Math.min(used, limit)}
        aria-valuetext={text}
        className="h-3 w-full overflow-hidden rounded-full bg-surface ring-1 ring-border"
      >
        <div className={`h-full transition-[width] ${percent >= 100 ? "bg-danger" : warning ? "bg-warning" : "bg-accent"}`} style={{ width: `${percent}%` }} />
      </div>
      <p className="text-sm text-muted-fg">{resets}</p>
    </div>
  );
};
