"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { BarChart } from "~/components/charts/bar-chart";
import { useTRPC, type RouterOutputs } from "~/trpc/react";
import { SLOW_REFRESH_MS, useReliabilityFormat } from "./format";
import { RefreshControl } from "./refresh-control";
import { SloTable } from "./slo-table";
import { TokenBudgetMeter } from "./token-budget-meter";
import { TokensChart } from "./tokens-chart";
import { ChatFailures, JobFunctions } from "./usage-tables";
import { useRefreshPause } from "./use-live-query";

export type TenantUsage = RouterOutputs["usage"]["get"];

const LatencyChart = ({ usage }: { usage: TenantUsage }) => {
  const t = useTranslations("reliability.usage");
  const f = useReliabilityFormat();
  const threshold = usage.slo.slos.find((s) => s.name === "chat-ttft")?.thresholdSeconds ?? null;
  const peak = usage.chat.reduce<TenantUsage["chat"][number] | null>((best, d) => ((d.ttftP95Ms ?? -1) > (best?.ttftP95Ms ?? -1) ? d : best), null);
  return (
    <BarChart
      title={t("ttftTitle")}
      summary={t("ttftSummary", {
        from: f.day(usage.from),
        to: f.day(usage.to),
        peakDay: peak ? f.day(peak.day) : "—",
        peak: f.ms(peak?.ttftP95Ms ?? null),
        threshold: f.ms(threshold === null ? null : threshold * 1000),
      })}
      mode="grouped"
      series={[
        { key: "p50", label: t("p50") },
        { key: "p95", label: t("p95") },
      ]}
      points={usage.chat.map((d) => ({ key: d.day, label: f.day(d.day), dateTime: d.day, values: { p50: d.ttftP50Ms, p95: d.ttftP95Ms } }))}
      format={f.ms}
      threshold={threshold === null ? undefined : { value: threshold * 1000, label: t("thresholdLabel", { value: f.ms(threshold * 1000) }) }}
      categoryHeader={t("day")}
      empty={t("ttftEmpty")}
    />
  );
};

const JobsChart = ({ usage }: { usage: TenantUsage }) => {
  const t = useTranslations("reliability.usage");
  const f = useReliabilityFormat();
  const runs = usage.jobs.reduce((s, d) => s + d.runs, 0);
  const failed = usage.jobs.reduce((s, d) => s + d.failed, 0);
  const peakWait = Math.max(-1, ...usage.jobs.map((d) => d.waitP95Ms ?? -1));
  return (
    <BarChart
      title={t("jobsTitle")}
      summary={t("jobsSummary", { runs, failed, from: f.day(usage.from), to: f.day(usage.to), peakWait: f.ms(peakWait < 0 ? null : peakWait) })}
      series={[
        { key: "ok", label: t("jobsNotFailed") },
        { key: "failed", label: t("jobsFailed") },
      ]}
      points={usage.jobs.map((d) => ({ key: d.day, label: f.day(d.day), dateTime: d.day, values: { ok: d.runs - d.failed, failed: d.failed } }))}
      format={f.number}
      axisFormat={f.compact}
      categoryHeader={t("day")}
      empty={t("jobsEmpty")}
    />
  );
};

/** /t/<slug>/usage: this month's token budget; this workspace's SLO standing, chat latency and failures, background runs and tokens, last 30 UTC days. */
export const UsageView = ({ tenantSlug, initial }: { tenantSlug: string; initial: TenantUsage }) => {
  const t = useTranslations("reliability");
  const trpc = useTRPC();
  const { paused, toggle, interval } = useRefreshPause();
  const { data: usage, isError } = useQuery({ ...trpc.usage.get.queryOptions({ tenantSlug }), initialData: initial, refetchInterval: interval(SLOW_REFRESH_MS) });
  const windowDays = Number(usage.slo.window.replace(/\D/g, "")) || 0;

  return (
    <div className="flex flex-col gap-12">
      <RefreshControl updatedAt={usage.generatedAt} paused={paused} onToggle={toggle} everySeconds={SLOW_REFRESH_MS / 1000} failed={isError} />
      <TokenBudgetMeter budget={usage.budget} />
      <section aria-labelledby="usage-slo-title" className="flex flex-col gap-4">
        <h2 id="usage-slo-title" className="text-xl font-semibold">
          {t("usage.sloTitle")}
        </h2>
        <p className="max-w-3xl text-sm text-muted-fg">{t("usage.sloLead", { days: windowDays })}</p>
        <SloTable slos={usage.slo.slos} window={usage.slo.window} caption={t("usage.sloCaption")} />
      </section>
      <LatencyChart usage={usage} />
      <ChatFailures usage={usage} />
      <JobsChart usage={usage} />
      <JobFunctions usage={usage} />
      <TokensChart usage={usage} />
    </div>
  );
};
