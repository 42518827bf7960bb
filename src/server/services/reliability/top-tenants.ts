import "server-only";
import { db } from "~/server/db/client";
import { DAY_MS, num } from "./days";

// The heaviest workspaces by LLM tokens, from the LlmCall row the gateway
// writes for every model call: platform admins only (it names tenants).

const TOP_TENANTS = 10;

const topFor = async (since: Date, now: Date) => {
  const rows = await db.$queryRaw<{ tenantId: string; calls: unknown; tokens: unknown }[]>`
    SELECT "tenantId",
           count(*) AS calls,
           sum(coalesce("inputTokens", 0) + coalesce("outputTokens", 0)) AS tokens
      FROM "LlmCall"
     WHERE "createdAt" >= ${since} AND "createdAt" < ${now}
     GROUP BY "tenantId"
     ORDER BY tokens DESC, calls DESC, "tenantId"
     LIMIT ${TOP_TENANTS}`;
  return rows.map((r) => ({ tenantId: r.tenantId, calls: num(r.calls) ?? 0, tokens: num(r.tokens) ?? 0 }));
};

/** Top tenants by tokens over the last 7 and the last 30 days (rolling, ending now), with their names. */
export const getTopTenants = async (opts: { now?: Date } = {}) => {
  const now = opts.now ?? new Date();
  const [last7, last30] = await Promise.all([topFor(new Date(now.getTime() - 7 * DAY_MS), now), topFor(new Date(now.getTime() - 30 * DAY_MS), now)]);
  const ids = [...new Set([...last7, ...last30].map((r) => r.tenantId))];
  const tenants = await db.tenant.findMany({ where: { id: { in: ids } }, select: { id: true, slug: true, name: true } });
  const byId = new Map(tenants.map((t) => [t.id, t]));
  const label = (r: { tenantId: string; calls: number; tokens: number }) => ({ ...r, tenantSlug: byId.get(r.tenantId)?.slug ?? null, tenantName: byId.get(r.tenantId)?.name ?? null });
  return { last7Days: last7.map(label), last30Days: last30.map(label) };
};
