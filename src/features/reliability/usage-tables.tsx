"use client";

import { useTranslations } from "next-intl";
import { BarChart } from "~/components/charts/bar-chart";
import { Table, Td, Th, THead } from "~/components/ui/table";
import type { RouterOutputs } from "~/trpc/react";
import { useReliabilityFormat } from "./format";

type TenantUsage = RouterOutputs["usage"]["get"];
const OTHER_KEY = "__other__";

/** Failed chat answers per day, stacked by reason, and the reasons with what they mean. */
export const ChatFailures = ({ usage }: { usage: TenantUsage }) => {
  const t = useTranslations("reliability.usage");
  const te = useTranslations("errors");
  const f = useReliabilityFormat();
  const label = (key: string) => (key === OTHER_KEY ? t("other") : key === "unknown" ? t("unknownReason") : key);
  const failed = usage.chatFailures.keys.reduce((s, k) => s + k.total, 0);
  const turns = usage.chat.reduce((s, d) => s + d.turns, 0);
  return (
    <div className="flex flex-col gap-4">
      <BarChart
        title={t("failuresTitle")}
        summary={t("failuresSummary", { count: failed, turns: f.number(turns), from: f.day(usage.from), to: f.day(usage.to) })}
        series={usage.chatFailures.keys.map((k) => ({ key: k.key, label: label(k.key) }))}
        points={usage.chatFailures.days.map((d) => ({ key: d.day, label: f.day(d.day), dateTime: d.day, values: d.values }))}
        format={f.number}
        axisFormat={f.compact}
        categoryHeader={t("day")}
        empty={t("failuresEmpty")}
      />
      {usage.chatFailures.keys.length > 0 ? (
        <Table>
          <caption className="sr-only">{t("reasonsCaption")}</caption>
          <THead>
            <tr>
              <Th>{t("colReason")}</Th>
              <Th className="text-right">{t("colCount")}</Th>
              <Th>{t("colMeaning")}</Th>
            </tr>
          </THead>
          <tbody>
            {usage.chatFailures.keys.map((k) => (
              <tr key={k.key}>
                <Th scope="row" className="font-mono text-xs font-normal">
                  {label(k.key)}
                </Th>
                <Td className="text-right tabular-nums">{f.number(k.total)}</Td>
                <Td className="text-sm">{te.has(k.key as "generic") ? te(k.key as "generic") : "—"}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
    </div>
  );
};

/** This workspace's runs per background function over the 30 days. */
export const JobFunctions = ({ usage }: { usage: TenantUsage }) => {
  const t = useTranslations("reliability.usage");
  const f = useReliabilityFormat();
  if (usage.jobFunctions.length === 0) return null;
  return (
    <Table>
      <caption className="sr-only">{t("jobsCaption")}</caption>
      <THead>
        <tr>
          <Th>{t("colFunction")}</Th>
          <Th className="text-right">{t("colRuns")}</Th>
          <Th className="text-right">{t("colFailed")}</Th>
          <Th className="text-right">{t("colWaitP95")}</Th>
        </tr>
      </THead>
      <tbody>
        {usage.jobFunctions.map((j) => (
          <tr key={j.functionId}>
            <Th scope="row" className="font-mono text-xs font-normal">
              {j.functionId}
            </Th>
            <Td className="text-right tabular-nums">{f.number(j.runs)}</Td>
            <Td className="text-right tabular-nums">{f.number(j.failed)}</Td>
            <Td className="text-right tabular-nums">{f.ms(j.waitP95Ms)}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
};
