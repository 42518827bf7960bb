"use client";

import { Table as TableIcon } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { useId, useState } from "react";
import { Button } from "~/components/ui/button";
import { Table, Td, Th, THead } from "~/components/ui/table";

export type UsageDay = { day: string; calls: number; tokens: number };

const W = 800;
const H = 260;
const PAD = { top: 16, right: 12, bottom: 36, left: 64 };

/** A round axis maximum at or above the largest value: 1, 2 or 5 × 10ⁿ. */
const niceMax = (v: number) => {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 5, 10].find((m) => m * p >= v) ?? 10) * p;
};

/**
 * Tokens per day as an SVG bar chart. The SVG is one image with a text summary
 * (role="img", labelled by the heading and the summary); the same figures are
 * a real <table> one button press away, for screen readers and for copying.
 */
export const UsageChart = ({ days }: { days: UsageDay[] }) => {
  const t = useTranslations("admin");
  const format = useFormatter();
  const id = useId();
  const [showTable, setShowTable] = useState(false);

  const dayLabel = (day: string) => format.dateTime(new Date(`${day}T00:00:00Z`), { month: "short", day: "numeric", timeZone: "UTC" });
  const max = niceMax(Math.max(0, ...days.map((d) => d.tokens)));
  const totals = days.reduce((s, d) => ({ calls: s.calls + d.calls, tokens: s.tokens + d.tokens }), { calls: 0, tokens: 0 });
  const peak = days.reduce<UsageDay | null>((best, d) => (d.tokens > (best?.tokens ?? 0) ? d : best), null);
  const summary =
    peak === null
      ? t("chartEmpty")
      : t("chartSummary", {
          from: dayLabel(days[0]!.day),
          to: dayLabel(days[days.length - 1]!.day),
          tokens: format.number(totals.tokens),
          calls: format.number(totals.calls),
          peakDay: dayLabel(peak.day),
          peakTokens: format.number(peak.tokens),
        });

  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, days.length);
  const barW = Math.max(1, slot * 0.7);
  // At most ~10 x-axis labels, whatever the range.
  const labelEvery = Math.max(1, Math.ceil(days.length / 10));
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;

  return (
    <figure className="flex flex-col gap-3">
      <figcaption className="flex flex-wrap items-center justify-between gap-3">
        <h2 id={`${id}-title`} className="text-xl font-semibold">
          {t("chartTitle")}
        </h2>
        <Button variant="secondary" size="sm" aria-expanded={showTable} aria-controls={`${id}-table`} onClick={() => setShowTable((v) => !v)}>
          <TableIcon aria-hidden="true" />
          {showTable ? t("hideTable") : t("showTable")}
        </Button>
      </figcaption>
      <p id={`${id}-desc`} className="text-sm text-muted-fg">
        {summary}
      </p>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        className="h-auto w-full rounded-lg border border-border bg-bg text-muted-fg"
        preserveAspectRatio="xMidYMid meet"
      >
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(max * f)} y2={y(max * f)} stroke="currentColor" strokeOpacity={0.25} />
            <text x={PAD.left - 8} y={y(max * f)} textAnchor="end" dominantBaseline="middle" fontSize={12} fill="currentColor">
              {format.number(max * f, { notation: "compact" })}
            </text>
          </g>
        ))}
        {days.map((d, i) => {
          const h = (d.tokens / max) * plotH;
          const x = PAD.left + i * slot + (slot - barW) / 2;
          return (
            <g key={d.day}>
              <rect x={x} y={PAD.top + plotH - h} width={barW} height={h} rx={2} className="fill-accent">
                <title>{`${dayLabel(d.day)}: ${format.number(d.tokens)} · ${format.number(d.calls)}`}</title>
              </rect>
              {i % labelEvery === 0 ? (
                <text x={x + barW / 2} y={H - PAD.bottom + 18} textAnchor="middle" fontSize={12} fill="currentColor">
                  {dayLabel(d.day)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <div id={`${id}-table`} hidden={!showTable}>
        <Table>
          <caption className="sr-only">{t("chartTitle")}</caption>
          <THead>
            <tr>
              <Th>{t("day")}</Th>
              <Th className="text-right">{t("calls")}</Th>
              <Th className="text-right">{t("tokens")}</Th>
            </tr>
          </THead>
          <tbody>
            {days.map((d) => (
              <tr key={d.day}>
                <Th scope="row" className="font-normal">
                  <time dateTime={d.day}>{dayLabel(d.day)}</time>
                </Th>
                <Td className="text-right tabular-nums">{format.number(d.calls)}</Td>
                <Td className="text-right tabular-nums">{format.number(d.tokens)}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </div>
    </figure>
  );
};
