import "server-only";
import { db } from "~/server/db/client";
import { openTenantProfile } from "~/server/db/keys/content-keys";
import { notFound } from "~/server/errors";
import { recordAudit } from "../audit/audit";
import { getTokenBudgetStatus } from "../budgets/token-budget";
import type { RequestMeta } from "../context";

// Platform-admin views and actions on one tenant. The admin procedures audit
// every call with its input on the platform chain (platformAdminProcedure);
// suspension and reactivation are also written to the tenant's own chain, so
// the tenant's owners see in their audit trail that our staff acted on them.

/** The window the detail page's LLM figures cover. */
export const USAGE_WINDOW_DAYS = 30;

export type AdminActor = { adminUserId: string; meta: RequestMeta };

export const getTenantDetail = async (tenantId: string, now = new Date()) => {
  const row = await db.tenant.findUnique({
    where: { id: tenantId },
    select: { id: true, slug: true, name: true, status: true, plan: true, industry: true, createdAt: true, updatedAt: true },
  });
  if (!row) throw notFound("Workspace");
  const tenant = await openTenantProfile(tenantId, row);
  const since = new Date(now.getTime() - USAGE_WINDOW_DAYS * 86_400_000);
  const [members, documents, conversations, llm, lastStatusChange, tokenBudget] = await Promise.all([
    db.membership.findMany({
      where: { tenantId },
      orderBy: [{ role: "asc" }, { createdAt: "asc" }],
      select: { id: true, role: true, createdAt: true, user: { select: { id: true, email: true, name: true, disabledAt: true } } },
    }),
    db.document.aggregate({ where: { tenantId }, _count: { _all: true }, _sum: { sizeBytes: true } }),
    db.conversation.count({ where: { tenantId } }),
    db.llmCall.aggregate({ where: { tenantId, createdAt: { gte: since } }, _count: { _all: true }, _sum: { inputTokens: true, outputTokens: true } }),
    // The reason lives in the audit trail (the tenant row only has a status).
    db.auditEvent.findFirst({
      where: { chain: tenantId, action: { in: ["tenant.suspended", "tenant.reactivated"] } },
      orderBy: { seq: "desc" },
      select: { action: true, createdAt: true, metadata: true, actorId: true },
    }),
    // This month against the budget (admin.setTokenBudget sets it).
    getTokenBudgetStatus(tenantId, { now }),
  ]);
  const reason = (lastStatusChange?.metadata as { reason?: unknown } | null)?.reason;
  return {
    ...tenant,
    members: members.map((m) => ({ membershipId: m.id, role: m.role, joinedAt: m.createdAt, userId: m.user.id, email: m.user.email, name: m.user.name, disabledAt: m.user.disabledAt })),
    usage: {
      documents: documents._count._all,
      storageBytes: documents._sum.sizeBytes ?? 0,
      conversations,
      llmCalls30d: llm._count._all,
      inputTokens30d: llm._sum.inputTokens ?? 0,
      outputTokens30d: llm._sum.outputTokens ?? 0,
    },
    tokenBudget,
    lastStatusChange: lastStatusChange
      ? { action: lastStatusChange.action, at: lastStatusChange.createdAt, reason: typeof reason === "string" ? reason : null }
      : null,
  };
};

const setTenantStatus = async (tenantId: string, status: "ACTIVE" | "SUSPENDED", reason: string | null, actor: AdminActor) => {
  const tenant = await db.tenant.findUnique({ where: { id: tenantId }, select: { id: true, status: true } });
  if (!tenant) throw notFound("Workspace");
  if (tenant.status === status) return { id: tenant.id, status, changed: false };
  // Conditional update: two admins racing record one change, not two.
  const { count } = await db.tenant.updateMany({ where: { id: tenantId, status: tenant.status }, data: { status } });
  if (count === 0) return { id: tenant.id, status, changed: false };
  await recordAudit({
    tenantId,
    actorId: actor.adminUserId,
    actorType: "PLATFORM_ADMIN",
    action: status === "SUSPENDED" ? "tenant.suspended" : "tenant.reactivated",
    targetType: "tenant",
    targetId: tenantId,
    metadata: reason ? { reason } : {},
    meta: actor.meta,
  });
  return { id: tenant.id, status, changed: true };
};

/**
 * Suspends a tenant: its members get the "workspace suspended" page on every
 * request (resolveTenantContext) and its jobs stop (assertTenantActive).
 * Idempotent: suspending a suspended tenant changes and records nothing.
 */
export const suspendTenant = (input: { tenantId: string; reason: string }, actor: AdminActor) => setTenantStatus(input.tenantId, "SUSPENDED", input.reason, actor);

/** Lifts a suspension; jobs that stopped can be re-run from the dead letters. */
export const reactivateTenant = (input: { tenantId: string; reason?: string }, actor: AdminActor) =>
  setTenantStatus(input.tenantId, "ACTIVE", input.reason ?? null, actor);
