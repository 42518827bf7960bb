import "server-only";
import { db } from "~/server/db/client";
import { AppError } from "~/server/errors";

// LLM usage across the service, from the LlmCall rows every model call writes
// (the gateway records one per call, success or not). Days are UTC calendar
// days, so the figures are the same whoever looks at them.

const DAY_MS = 86_400_000;
export const USAGE_DEFAULT_DAYS = 30;
export const USAGE_MAX_DAYS = 366;
export const USAGE_TOP_TENANTS = 10;

/** "YYYY-MM-DD" of a Date, in UTC. */
export const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const dayStart = (day: string) => new Date(`${day}T00:00:00.000Z`);

/** The inclusive day range asked for, defaulting to the last 30 days (today included). */
export const usageRange = (input: { from?: string; to?: string }, now = new Date()) => {
  const to = input.to ?? isoDay(now);
  const from = input.from ?? isoDay(new Date(dayStart(to).getTime() - (USAGE_DEFAULT_DAYS - 1) * DAY_MS));
  const start = dayStart(from);
  const end = new Date(dayStart(to).getTime() + DAY_MS);
  const days = Math.round((end.getTime() - start.getTime()) / DAY_MS);
  if (days < 1) throw new AppError("BAD_REQUEST", "invalidInput", "`from` must not be after `to`");
  if (days > USAGE_MAX_DAYS) throw new AppError("BAD_REQUEST", "invalidInput", `At most ${USAGE_MAX_DAYS} days at a time`);
  return { from, to, start, end, days: Array.from({ length: days }, (_, i) => isoDay(new Date(start.getTime() + i * DAY_MS))) };
};

type Row = { tenantId: string; day: string; calls: number; tokens: bigint | number | null; inputTokens: bigint | number | null; outputTokens: bigint | number | null };

/**
 * Calls and tokens per tenant per day for the range (optionally one tenant),
 * the per-day totals (the chart) and the top tenants by tokens. Tokens are
 * input + output; calls that reported no usage count as 0 tokens.
 */
export const getUsage = async (input: { from?: string; to?: string; tenantId?: string }, now = new Date()) => {
  const range = usageRange(input, now);
  const tenantFilter = input.tenantId ?? null;
  // One grouped scan over the (tenantId, createdAt) index; the day is computed in UTC.
  const rows = await db.$queryRaw<Row[]>`
    SELECT "tenantId",
           to_char(("createdAt" AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day,
           count(*)::int AS calls,
           sum(coalesce("inputTokens", 0))::bigint AS "inputTokens",
           sum(coalesce("outputTokens", 0))::bigint AS "outputTokens",
           sum(coalesce("inputTokens", 0) + coalesce("outputTokens", 0))::bigint AS tokens
      FROM "LlmCall"
     WHERE "createdAt" >= ${range.start} AND "createdAt" < ${range.end}
       AND (${tenantFilter}::text IS NULL OR "tenantId" = ${tenantFilter}::text)
     GROUP BY 1, 2
     ORDER BY 2, 1`;
  const perTenantDay = rows.map((r) => ({
    tenantId: r.tenantId,
    day: r.day,
    calls: Number(r.calls),
    inputTokens: Number(r.inputTokens ?? 0),
    outputTokens: Number(r.outputTokens ?? 0),
    tokens: Number(r.tokens ?? 0),
  }));

  const byDay = new Map(range.days.map((d) => [d, { day: d, calls: 0, tokens: 0 }]));
  const byTenant = new Map<string, { calls: number; tokens: number }>();
  for (const r of perTenantDay) {
    const d = byDay.get(r.day);
    if (d) {
      d.calls += r.calls;
      d.tokens += r.tokens;
    }
    const t = byTenant.get(r.tenantId) ?? { calls: 0, tokens: 0 };
    t.calls += r.calls;
    t.tokens += r.tokens;
    byTenant.set(r.tenantId, t);
  }
  const tenants = await db.tenant.findMany({ where: { id: { in: [...byTenant.keys()] } }, select: { id: true, slug: true, name: true } });
  const tenantById = new Map(tenants.map((t) => [t.id, t]));
  const label = (id: string) => ({ tenantSlug: tenantById.get(id)?.slug ?? null, tenantName: tenantById.get(id)?.name ?? null });

  const topTenants = [...byTenant.entries()]
    .map(([tenantId, v]) => ({ tenantId, ...label(tenantId), ...v }))
    .sort((a, b) => b.tokens - a.tokens || b.calls - a.calls || a.tenantId.localeCompare(b.tenantId))
    .slice(0, USAGE_TOP_TENANTS);
  const daily = [...byDay.values()];
  return {
    from: range.from,
    to: range.to,
    tenantId: tenantFilter,
    daily,
    totals: { calls: daily.reduce((s, d) => s + d.calls, 0), tokens: daily.reduce((s, d) => s + d.tokens, 0) },
    perTenantDay: perTenantDay.map((r) => ({ ...r, ...label(r.tenantId) })),
    topTenants,
  };
};
