"use client";

import { Table as TableIcon } from "lucide-react";
import { useTranslations } from "next-intl";
import { useId, useState, type ReactNode } from "react";
import { Button } from "~/components/ui/button";
import { Table, Td, Th, THead } from "~/components/ui/table";

type ChartSeries = { key: string; label: string };
/** One category on the x axis (a day, usually): its label, an optional machine-readable date, a value per series (null = no data). */
export type ChartPoint = { key: string; label: string; dateTime?: string; values: Record<string, number | null> };

const W = 800;
const H = 260;
const PAD = { top: 16, right: 12, bottom: 36, left: 72 };

/**
 * Series colours: the chart roles of src/app/globals.css, 3:1 against the
 * plot's bg in both themes (WCAG 1.4.11; tests/design-tokens.test.ts). Whole
 * class names, so Tailwind finds them. Colour is never the only cue: the
 * legend names each series and the table has every figure.
 */
const PALETTE = ["fill-chart-1", "fill-chart-2", "fill-chart-3", "fill-chart-4", "fill-chart-5", "fill-chart-6", "fill-chart-7"];

/** A round axis maximum at or above the largest value: 1, 2 or 5 × 10ⁿ. */
const niceMax = (v: number) => {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 5, 10].find((m) => m * p >= v) ?? 10) * p;
};

type Props = {
  title: string;
  /** One or two sentences that say what the chart shows (read with the image, and shown above it). */
  summary: string;
  series: ChartSeries[];
  points: ChartPoint[];
  /** stacked: one bar per point, series on top of each other (parts of a whole); grouped: side by side (p50 next to p95). */
  mode?: "stacked" | "grouped";
  format: (v: number) => string;
  /** Short axis labels (compact numbers). Defaults to `format`. */
  axisFormat?: (v: number) => string;
  /** A target line, labelled in the chart and in the summary the caller writes. */
  threshold?: { value: number; label: string };
  /** Header of the category column of the table ("Day"). */
  categoryHeader: string;
  headingLevel?: 2 | 3;
  /** Shown instead of the chart when there is nothing to draw: say what would fill it. */
  empty?: ReactNode;
};

/**
 * A bar chart as one SVG image (role="img", labelled by its heading and
 * summary) in a <figure>, with the same figures as a real <table> one button
 * press away — for screen readers, keyboard users and copying. Used by the
 * ops and usage pages; the admin usage page's chart (features/admin) follows
 * the same pattern.
 */
export const BarChart = ({ title, summary, series, points, mode = "stacked", format, axisFormat = format, threshold, categoryHeader, headingLevel = 2, empty }: Props) => {
  const t = useTranslations("charts");
  const id = useId();
  const [showTable, setShowTable] = useState(false);
  const Heading = headingLevel === 2 ? "h2" : "h3";

  const pointTotal = (p: ChartPoint) =>
    mode === "stacked" ? series.reduce((s, x) => s + (p.values[x.key] ?? 0), 0) : Math.max(0, ...series.map((x) => p.values[x.key] ?? 0));
  const max = niceMax(Math.max(0, threshold?.value ?? 0, ...points.map(pointTotal)));
  const hasData = points.some((p) => series.some((x) => (p.values[x.key] ?? 0) > 0));

  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, points.length);
  const groupW = Math.max(1, slot * 0.7);
  const labelEvery = Math.max(1, Math.ceil(points.length / 10));
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const colour = (i: number) => PALETTE[Math.min(i, PALETTE.length - 1)]!;

  const bars = (p: ChartPoint, i: number) => {
    const x0 = PAD.left + i * slot + (slot - groupW) / 2;
    let base = 0;
    return series.map((s, si) => {
      const v = p.values[s.key] ?? 0;
      if (v <= 0) return null;
      const h = (v / max) * plotH;
      const w = mode === "stacked" ? groupW : groupW / series.length;
      const x = mode === "stacked" ? x0 : x0 + si * w;
      const top = mode === "stacked" ? PAD.top + plotH - ((base + v) / max) * plotH : PAD.top + plotH - h;
      base += v;
      return (
        <rect key={s.key} x={x} y={top} width={Math.max(1, w - (mode === "grouped" ? 1 : 0))} height={h} className={colour(si)}>
          <title>{`${p.label} · ${s.label}: ${format(v)}`}</title>
        </rect>
      );
    });
  };

  return (
    <figure className="flex flex-col gap-3">
      <figcaption className="flex flex-wrap items-center justify-between gap-3">
        <Heading id={`${id}-title`} className={headingLevel === 2 ? "text-xl font-semibold" : "text-lg font-semibold"}>
          {title}
        </Heading>
        {hasData ? (
          <Button variant="secondary" size="sm" aria-expanded={showTable} aria-controls={`${id}-table`} onClick={() => setShowTable((v) => !v)}>
            <TableIcon aria-hidden="true" />
            {showTable ? t("hideTable") : t("showTable")}
          </Button>
        ) : null}
      </figcaption>
      {!hasData ? (
        <div className="rounded-lg border border-dashed border-border p-6 text-sm text-muted-fg">{empty ?? t("empty")}</div>
      ) : (
        <>
          <p id={`${id}-desc`} className="text-sm text-muted-fg">
            {summary}
          </p>
          {series.length > 0 ? (
            <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm" aria-label={t("legend")}>
              {series.map((s, i) => (
                <li key={s.key} className="inline-flex items-center gap-1.5">
                  <svg aria-hidden="true" width="12" height="12" className="shrink-0">
                    <rect width="12" height="12" rx="2" className={colour(i)} />
                  </svg>
                  {s.label}
                </li>
              ))}
            </ul>
          ) : null}
          <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} className="h-auto w-full rounded-lg border border-border bg-bg text-muted-fg" preserveAspectRatio="xMidYMid meet">
            {[0, 0.5, 1].map((f) => (
              <g key={f}>
                <line x1={PAD.left} x2={W - PAD.right} y1={y(max * f)} y2={y(max * f)} stroke="currentColor" strokeOpacity={0.25} />
                <text x={PAD.left - 8} y={y(max * f)} textAnchor="end" dominantBaseline="middle" fontSize={12} fill="currentColor">
                  {axisFormat(max * f)}
                </text>
              </g>
            ))}
            {points.map((p, i) => (
              <g key={p.key}>
                {bars(p, i)}
                {i % labelEvery === 0 ? (
                  <text x={PAD.left + i * slot + slot / 2} y={H - PAD.bottom + 18} textAnchor="middle" fontSize={12} fill="currentColor">
                    {p.label}
                  </text>
                ) : null}
              </g>
            ))}
            {threshold ? (
              <g>
                <line x1={PAD.left} x2={W - PAD.right} y1={y(threshold.value)} y2={y(threshold.value)} className="stroke-danger" strokeDasharray="6 4" strokeWidth={1.5} />
                <text x={W - PAD.right - 4} y={y(threshold.value) - 6} textAnchor="end" fontSize={12} className="fill-danger">
                  {threshold.label}
                </text>
              </g>
            ) : null}
          </svg>
          <div id={`${id}-table`} hidden={!showTable}>
            <Table>
              <caption className="sr-only">{title}</caption>
              <THead>
                <tr>
                  <Th>{categoryHeader}</Th>
                  {series.map((s) => (
                    <Th key={s.key} className="text-right">
                      {s.label}
                    </Th>
                  ))}
                </tr>
              </THead>
              <tbody>
                {points.map((p) => (
                  <tr key={p.key}>
                    <Th scope="row" className="font-normal">
                      {p.dateTime ? <time dateTime={p.dateTime}>{p.label}</time> : p.label}
                    </Th>
                    {series.map((s) => {
                      const v = p.values[s.key];
                      return (
                        <Td key={s.key} className="text-right tabular-nums">
                          {v === null || v === undefined ? "—" : format(v)}
                        </Td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </Table>
          </div>
        </>
      )}
    </figure>
  );
};
