import { z } from "zod";

// /admin/ops: SLO status, live queue health, top tenants. Outputs only; the
// procedures take no input (the window is the SLO spec's, the rest is "now").

const ZSloState = z.enum(["ok", "atRisk", "breached", "noData", "unavailable"]);
export const ZSloStatus = z.object({
  name: z.string(),
  title: z.string(),
  description: z.string(),
  objective: z.number(),
  thresholdSeconds: z.number().nullable(),
  source: z.enum(["database", "process", "unavailable"]),
  since: z.date().nullable(),
  good: z.number().int().nullable(),
  total: z.number().int().nullable(),
  bad: z.number().int().nullable(),
  ratio: z.number().nullable(),
  budgetRemaining: z.number().nullable(),
  state: ZSloState,
});
export const ZSloStatusOutput = z.object({ window: z.string(), windowStart: z.date(), windowEnd: z.date(), slos: z.array(ZSloStatus) });

const ZCheck = z.object({ status: z.enum(["ok", "error", "disabled"]), latencyMs: z.number().optional(), error: z.string().optional() });
export const ZOpsLiveOutput = z.object({
  health: z.object({ status: z.enum(["ok", "degraded"]), checks: z.record(z.string(), ZCheck), version: z.string(), uptimeSeconds: z.number() }),
  queues: z.object({
    at: z.date(),
    functions: z.array(
      z.object({
        functionId: z.string(),
        queued: z.number().int(),
        oldestWaitSeconds: z.number().int().nullable(),
        inFlight: z.number().int(),
        delayed: z.number().int(),
        runs24h: z.number().int(),
        failed24h: z.number().int(),
        waitP50Ms24h: z.number().int().nullable(),
        waitP95Ms24h: z.number().int().nullable(),
        openDeadLetters: z.number().int(),
        newestDeadLetterAt: z.date().nullable(),
      }),
    ),
    totals: z.object({ queued: z.number().int(), openDeadLetters: z.number().int(), failed24h: z.number().int() }),
  }),
});

const ZTopTenant = z.object({ tenantId: z.string(), tenantSlug: z.string().nullable(), tenantName: z.string().nullable(), calls: z.number().int(), tokens: z.number().int() });
export const ZTopTenantsOutput = z.object({ last7Days: z.array(ZTopTenant), last30Days: z.array(ZTopTenant) });

/** The admin pages' backlog banner: depth and oldest due age per function, flagged over the alert thresholds. */
export const ZQueueBacklogOutput = z.object({
  at: z.date(),
  available: z.boolean(),
  backlogged: z.boolean(),
  thresholds: z.object({ depth: z.number().int(), oldestAgeSeconds: z.number() }),
  functions: z.array(z.object({ functionId: z.string(), depth: z.number().int(), oldestAgeSeconds: z.number(), backlogged: z.boolean() })),
  runbook: z.string(),
});
