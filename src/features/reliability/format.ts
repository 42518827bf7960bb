"use client";

import { useFormatter, useTranslations } from "next-intl";

/** How often the live parts refresh: often enough to watch a queue drain, seldom enough not to load the database (and every admin read is audited). */
export const OPS_LIVE_REFRESH_MS = 15_000;
export const SLOW_REFRESH_MS = 60_000;

/** Locale-aware short durations and percentages for the reliability views. */
export const useReliabilityFormat = () => {
  const t = useTranslations("reliability.units");
  const format = useFormatter();
  const ms = (v: number | null) => {
    if (v === null) return "—";
    if (v < 1000) return t("ms", { value: format.number(Math.round(v)) });
    return t("s", { value: format.number(v / 1000, { maximumFractionDigits: 1 }) });
  };
  const seconds = (v: number | null) => {
    if (v === null) return "—";
    if (v < 120) return t("s", { value: format.number(v) });
    if (v < 7200) return t("min", { value: format.number(Math.round(v / 60)) });
    return t("h", { value: format.number(v / 3600, { maximumFractionDigits: 1 }) });
  };
  const percent = (v: number | null, digits = 2) => (v === null ? "—" : format.number(v, { style: "percent", maximumFractionDigits: digits }));
  const number = (v: number) => format.number(v);
  const compact = (v: number) => format.number(v, { notation: "compact" });
  const day = (d: string) => format.dateTime(new Date(`${d}T00:00:00Z`), { month: "short", day: "numeric", timeZone: "UTC" });
  const time = (d: Date) => format.dateTime(d, { timeStyle: "medium" });
  const dateTime = (d: Date) => format.dateTime(d, { dateStyle: "medium", timeStyle: "short" });
  return { ms, seconds, percent, number, compact, day, time, dateTime };
};
