/*
 * ops/slo/slos.yaml as the generator reads it: every field the rules and
 * dashboards are built from, validated, so a typo in the spec fails
 * `npm run ops:generate` with the field's path instead of producing rules
 * Prometheus would load but never fire. (The product's own reader,
 * src/server/services/reliability/slo-spec.ts, validates only what /admin/ops
 * shows; this one also needs the PromQL and the burn-rate policy.)
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";

const ZDuration = z.string().regex(/^\d+[dhm]$/, "a duration like 28d, 6h or 30m");
/** The SLI PromQL must be windowed by the generator, never hard-coded. */
const ZWindowed = z.string().refine((q) => q.includes("[{{window}}]"), "must range over [{{window}}]");

const ZSlo = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/, "kebab-case"),
  title: z.string().min(1),
  objective: z.number().gt(0).lt(1),
  threshold_seconds: z.number().positive().optional(),
  description: z.string().min(1),
  good: ZWindowed,
  total: ZWindowed,
});

const ZBurnWindow = z.object({ long: ZDuration, short: ZDuration, factor: z.number().positive() });
const ZBurnAlert = z.object({ severity: z.enum(["page", "ticket"]), for: ZDuration, windows: z.array(ZBurnWindow).min(1) });

const ZSpec = z.object({
  version: z.literal(1),
  window: ZDuration,
  burn_rate_alerts: z.array(ZBurnAlert).min(1),
  slos: z.array(ZSlo).min(1),
});

export type TSlo = z.infer<typeof ZSlo>;
export type TBurnAlert = z.infer<typeof ZBurnAlert>;
export type TOpsSpec = z.infer<typeof ZSpec>;

const parseOpsSpec = (text: string): TOpsSpec => {
  const spec = ZSpec.parse(parse(text));
  const names = spec.slos.map((s) => s.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new Error(`slos.yaml: SLO name "${dup}" appears twice`);
  return spec;
};

export const loadOpsSpec = (file: string): TOpsSpec => parseOpsSpec(readFileSync(file, "utf8"));

/** Every window a recording rule must exist for: the alerts' long and short windows, ascending. */
export const alertWindows = (spec: TOpsSpec): string[] => {
  const all = new Set(spec.burn_rate_alerts.flatMap((a) => a.windows.flatMap((w) => [w.long, w.short])));
  return [...all].sort((a, b) => durationMs(a) - durationMs(b));
};

/** "chat-ttft" → "ChatTtft": the SLO's part of its alert's name. */
const pascal = (name: string) =>
  name
    .split("-")
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("");

/** The alert every burn-rate severity of one SLO shares (severity is a label; one runbook per SLO). */
export const sloAlertName = (slo: Pick<TSlo, "name">) => `${pascal(slo.name)}ErrorBudgetBurn`;

const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };

/** A Prometheus duration ("5m", "1h30m", "500ms") in milliseconds. */
export const durationMs = (d: string): number => {
  const parts = [...d.matchAll(/(\d+)(ms|d|h|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== d) throw new Error(`not a duration: ${d}`);
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * (UNIT_MS[unit!] ?? 0), 0);
};

/** Milliseconds as the shortest Prometheus duration ("72m" → "1h12m", 5000 → "5s"). */
export const formatDuration = (ms: number): string => {
  let rest = Math.max(1, Math.round(ms));
  let out = "";
  for (const [unit, size] of Object.entries(UNIT_MS)) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
};
