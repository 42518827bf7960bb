import "server-only";
import { db } from "~/server/db/client";
import { notFound } from "~/server/errors";
import { recordAudit } from "../audit/audit";
import type { RequestMeta } from "../context";
import { getTokenBudgetStatus, invalidateTokenBudget, type TokenBudgetStatus } from "./token-budget";

/*
 * A platform admin sets or clears a tenant's monthly token budget
 * (admin.setTokenBudget). platformAdminProcedure writes the call, with its
 * input, to the platform chain; this also writes it to the tenant's own
 * chain (as suspensions are), so the owners see who changed their limit and why.
 */

export type BudgetActor = { adminUserId: string; meta: RequestMeta };

export type SetTokenBudgetInput = { tenantId: string; monthlyTokens: number | null; reason: string };

/**
 * Sets (a number of tokens) or clears (null = unlimited) the budget. Takes
 * effect for the next model call (this process at once, others within the
 * budget cache's TTL). The month's 80 % notice is re-armed: against a new
 * budget, crossing its line is news again. Setting the same value records
 * nothing and returns changed: false.
 */
export const setTokenBudget = async (input: SetTokenBudgetInput, actor: BudgetActor): Promise<{ tenantId: string; changed: boolean; budget: TokenBudgetStatus }> => {
  const tenant = await db.tenant.findUnique({ where: { id: input.tenantId }, select: { id: true, monthlyTokenBudget: true } });
  if (!tenant) throw notFound("Workspace");
  const previous = tenant.monthlyTokenBudget;
  let changed = false;
  if (previous !== input.monthlyTokens) {
    // Conditional on the value read: of two admins racing, each change is recorded against what it replaced.
    const { count } = await db.tenant.updateMany({
      where: { id: tenant.id, monthlyTokenBudget: previous },
      data: { monthlyTokenBudget: input.monthlyTokens, tokenBudgetWarnedMonth: null },
    });
    changed = count === 1;
  }
  invalidateTokenBudget(tenant.id);
  if (changed) {
    await recordAudit({
      tenantId: tenant.id,
      actorId: actor.adminUserId,
      actorType: "PLATFORM_ADMIN",
      action: input.monthlyTokens === null ? "tenant.token_budget_cleared" : "tenant.token_budget_set",
      targetType: "tenant",
      targetId: tenant.id,
      metadata: { previous, monthlyTokens: input.monthlyTokens, reason: input.reason },
      meta: actor.meta,
    });
  }
  return { tenantId: tenant.id, changed, budget: await getTokenBudgetStatus(tenant.id) };
};
