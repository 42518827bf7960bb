import { z } from "zod";
import { ZSloStatus } from "../ops/schemas";

// A workspace's usage page (/t/<slug>/usage). Input is the tenant only: the
// range is always the last 30 UTC days.

const ZSeries = z.object({
  keys: z.array(z.object({ key: z.string(), total: z.number() })),
  days: z.array(z.object({ day: z.string(), values: z.record(z.string(), z.number()) })),
});

/** Where a workspace stands against its monthly token budget (services/budgets/token-budget.ts). */
export const ZTokenBudgetStatus = z.object({
  monthlyTokens: z.number().int().nullable(),
  used: z.number().int(),
  month: z.string(),
  resetsAt: z.date(),
  exhausted: z.boolean(),
  warning: z.boolean(),
});
export const ZWorkspaceTokenBudget = ZTokenBudgetStatus.extend({ warningNoticeId: z.string().nullable() });

export const ZTenantUsageOutput = z.object({
  from: z.string(),
  to: z.string(),
  generatedAt: z.date(),
  chat: z.array(z.object({ day: z.string(), turns: z.number().int(), failed: z.number().int(), ttftP50Ms: z.number().int().nullable(), ttftP95Ms: z.number().int().nullable() })),
  chatFailures: ZSeries,
  jobs: z.array(z.object({ day: z.string(), runs: z.number().int(), failed: z.number().int(), waitP95Ms: z.number().int().nullable() })),
  jobFunctions: z.array(z.object({ functionId: z.string(), runs: z.number().int(), failed: z.number().int(), waitP95Ms: z.number().int().nullable() })),
  tokensByPersona: ZSeries.extend({ keys: z.array(z.object({ key: z.string(), total: z.number(), name: z.string().nullable() })) }),
  tokensByModel: ZSeries,
  slo: z.object({ window: z.string(), slos: z.array(ZSloStatus) }),
  budget: ZTokenBudgetStatus,
});
