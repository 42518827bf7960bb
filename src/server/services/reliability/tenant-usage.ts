import "server-only";
import { db } from "~/server/db/client";
import { getTokenBudgetStatus } from "~/server/services/budgets/token-budget";
import type { TenantCtx } from "~/server/services/context";
import { BUILT_IN_PERSONAS, isPersonaKey } from "~/server/services/personas/templates";
import { lastDays } from "./days";
import { getSloStatus } from "./slo-status";
import { chatFailuresPerDay, chatPerDay, jobsPerDay, jobsPerFunction, OTHER_KEY, rounded, tokensPerDay } from "./tenant-usage-queries";

// A workspace's own reliability and usage for its owners and admins
// (/t/<slug>/usage): the last 30 UTC days of chat latency and failures, its
// background runs, and tokens by persona and model, plus where the workspace
// stands against the service's SLOs and this month's token budget. Everything
// is filtered by ctx.tenantId.

const TENANT_USAGE_DAYS = 30;

type KeyedRow = { day: string; key: string; value: unknown; calls: unknown };

/** Rows (day, key, value) as series keys in order of their total and one value per day for each. */
const toSeries = (rows: KeyedRow[], days: string[]) => {
  const totals = new Map<string, number>();
  const cells = new Map<string, number>();
  for (const r of rows) {
    const v = Number(r.value ?? 0);
    totals.set(r.key, (totals.get(r.key) ?? 0) + v);
    cells.set(`${r.day}\n${r.key}`, v);
  }
  // The "other" bucket always last, whatever its size.
  const keys = [...totals.keys()].sort((a, b) => Number(a === OTHER_KEY) - Number(b === OTHER_KEY) || totals.get(b)! - totals.get(a)! || a.localeCompare(b));
  return {
    keys: keys.map((key) => ({ key, total: totals.get(key)! })),
    days: days.map((day) => ({ day, values: Object.fromEntries(keys.map((k) => [k, cells.get(`${day}\n${k}`) ?? 0])) as Record<string, number> })),
  };
};

/** Display names for persona keys: the workspace's own name for a persona, else the built-in one. */
const personaNames = async (tenantId: string, keys: string[]) => {
  const custom = await db.tenantPersona.findMany({ where: { tenantId, key: { in: keys } }, select: { key: true, name: true } });
  const byKey = new Map(custom.map((c) => [c.key, c.name]));
  return Object.fromEntries(keys.map((k) => [k, byKey.get(k) ?? (isPersonaKey(k) ? BUILT_IN_PERSONAS[k].name : null)])) as Record<string, string | null>;
};

export const getTenantUsage = async (ctx: Pick<TenantCtx, "tenantId">, opts: { now?: Date } = {}) => {
  const now = opts.now ?? new Date();
  const range = lastDays(TENANT_USAGE_DAYS, now);
  const r = { start: range.start, end: range.end };
  const [chat, failures, byPersona, byModel, jobs, functions, slo, budget] = await Promise.all([
    chatPerDay(ctx.tenantId, r),
    chatFailuresPerDay(ctx.tenantId, r),
    tokensPerDay(ctx.tenantId, r, "persona"),
    tokensPerDay(ctx.tenantId, r, "model"),
    jobsPerDay(ctx.tenantId, r),
    jobsPerFunction(ctx.tenantId, r),
    getSloStatus({ now, tenantId: ctx.tenantId }),
    getTokenBudgetStatus(ctx.tenantId, { now }),
  ]);
  const chatByDay = new Map(chat.map((c) => [c.day, c]));
  const jobsByDay = new Map(jobs.map((j) => [j.day, j]));
  const personas = toSeries(byPersona, range.days);
  const names = await personaNames(ctx.tenantId, personas.keys.map((k) => k.key).filter((k) => k !== OTHER_KEY && k !== ""));
  return {
    from: range.days[0]!,
    to: range.days.at(-1)!,
    generatedAt: now,
    chat: range.days.map((day) => {
      const c = chatByDay.get(day);
      return { day, turns: Number(c?.turns ?? 0), failed: Number(c?.failed ?? 0), ttftP50Ms: rounded(c?.p50), ttftP95Ms: rounded(c?.p95) };
    }),
    chatFailures: toSeries(failures, range.days),
    jobs: range.days.map((day) => {
      const j = jobsByDay.get(day);
      return { day, runs: Number(j?.runs ?? 0), failed: Number(j?.failed ?? 0), waitP95Ms: rounded(j?.p95) };
    }),
    jobFunctions: functions.map((f) => ({ functionId: f.functionId, runs: Number(f.runs), failed: Number(f.failed), waitP95Ms: rounded(f.p95) })),
    tokensByPersona: { ...personas, keys: personas.keys.map((k) => ({ ...k, name: names[k.key] ?? null })) },
    tokensByModel: toSeries(byModel, range.days),
    slo: { window: slo.window, slos: slo.slos },
    budget,
  };
};
