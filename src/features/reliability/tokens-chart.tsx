"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { BarChart } from "~/components/charts/bar-chart";
import { Button } from "~/components/ui/button";
import type { RouterOutputs } from "~/trpc/react";
import { useReliabilityFormat } from "./format";

type TenantUsage = RouterOutputs["usage"]["get"];
const OTHER_KEY = "__other__";

/** Tokens per day stacked by persona or by model, switched with two toggle buttons (aria-pressed). */
export const TokensChart = ({ usage }: { usage: TenantUsage }) => {
  const t = useTranslations("reliability.usage");
  const f = useReliabilityFormat();
  const [by, setBy] = useState<"persona" | "model">("persona");
  const data = by === "persona" ? usage.tokensByPersona : usage.tokensByModel;
  const names = new Map(usage.tokensByPersona.keys.map((k) => [k.key, k.name]));
  const label = (key: string) => (key === OTHER_KEY ? t("other") : by === "persona" ? (key === "" ? t("noPersona") : (names.get(key) ?? key)) : key);
  const total = data.keys.reduce((s, k) => s + k.total, 0);
  const top = data.keys.find((k) => k.key !== OTHER_KEY);
  return (
    <div className="flex flex-col gap-3">
      <div role="group" aria-label={t("groupLabel")} className="flex gap-2">
        {(["persona", "model"] as const).map((b) => (
          <Button key={b} variant={by === b ? "primary" : "secondary"} size="sm" aria-pressed={by === b} onClick={() => setBy(b)}>
            {b === "persona" ? t("byPersona") : t("byModel")}
          </Button>
        ))}
      </div>
      <BarChart
        title={by === "persona" ? t("tokensTitlePersona") : t("tokensTitleModel")}
        summary={t("tokensSummary", { tokens: f.number(total), from: f.day(usage.from), to: f.day(usage.to), top: top ? label(top.key) : "—", topTokens: f.number(top?.total ?? 0) })}
        series={data.keys.map((k) => ({ key: k.key, label: label(k.key) }))}
        points={data.days.map((d) => ({ key: d.day, label: f.day(d.day), dateTime: d.day, values: d.values }))}
        format={f.number}
        axisFormat={f.compact}
        categoryHeader={t("day")}
        empty={t("tokensEmpty")}
      />
    </div>
  );
};
