"use client";

import { useTranslations } from "next-intl";
import { Badge } from "~/components/ui/badge";
import { Table, Td, Th, THead } from "~/components/ui/table";
import type { RouterOutputs } from "~/trpc/react";
import { useReliabilityFormat } from "./format";

type Slo = RouterOutputs["admin"]["ops"]["slos"]["slos"][number];

const STATE_VARIANT = { ok: "success", atRisk: "warning", breached: "danger", noData: "neutral", unavailable: "neutral" } as const;

/**
 * SLOs as a table: target, actual, events, error budget left and a status
 * badge whose text says the state (colour only repeats it). The source column
 * says honestly where each figure comes from and over what.
 */
export const SloTable = ({ slos, window, caption }: { slos: Slo[]; window: string; caption: string }) => {
  const t = useTranslations("reliability.slo");
  const f = useReliabilityFormat();
  const windowLabel = t("window", { days: Number(window.replace(/\D/g, "")) || 0 });
  return (
    <Table>
      <caption className="sr-only">{caption}</caption>
      <THead>
        <tr>
          <Th>{t("colSlo")}</Th>
          <Th>{t("colTarget")}</Th>
          <Th className="text-right">{t("colActual")}</Th>
          <Th className="text-right">{t("colEvents")}</Th>
          <Th className="text-right">{t("colBudget")}</Th>
          <Th>{t("colStatus")}</Th>
          <Th>{t("colSource")}</Th>
        </tr>
      </THead>
      <tbody>
        {slos.map((s) => (
          <tr key={s.name} data-testid="slo-row" data-slo={s.name} data-state={s.state}>
            <Th scope="row" className="font-normal">
              <span className="font-medium">{s.title}</span>
              <span className="block text-xs text-muted-fg">{s.description}</span>
            </Th>
            <Td>
              {s.thresholdSeconds === null
                ? f.percent(s.objective, 3)
                : t("targetWithin", { objective: f.percent(s.objective, 3), threshold: f.ms(s.thresholdSeconds * 1000) })}
            </Td>
            <Td className="text-right tabular-nums">{f.percent(s.ratio, 3)}</Td>
            <Td className="text-right tabular-nums">{s.total === null ? "—" : t("events", { good: f.number(s.good ?? 0), total: f.number(s.total) })}</Td>
            <Td className="text-right tabular-nums">{s.budgetRemaining === null ? "—" : f.percent(s.budgetRemaining, 1)}</Td>
            <Td>
              <Badge variant={STATE_VARIANT[s.state]}>{t(`state.${s.state}`)}</Badge>
            </Td>
            <Td className="text-xs">
              {s.source === "database"
                ? t("source.database", { window: windowLabel })
                : s.source === "process" && s.since
                  ? t("source.process", { since: f.dateTime(s.since) })
                  : t("source.unavailable")}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
};
