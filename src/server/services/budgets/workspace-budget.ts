import "server-only";
import { z } from "zod";
import { db } from "~/server/db/client";
import type { TenantCtx } from "../context";
import { getTokenBudgetStatus, TOKEN_BUDGET_WARNING_KIND, type TokenBudgetStatus } from "./token-budget";

/*
 * The workspace's own view of its token budget (usage.budget): every member
 * sees where the month stands (the layout's banner when it is spent); owners
 * also get this month's unread 80 % notice, to dismiss like any other notice
 * (support.dismissNotice works on every notice of the tenant).
 */

const ZWarningData = z.object({ month: z.string() });

export type WorkspaceTokenBudget = TokenBudgetStatus & { warningNoticeId: string | null };

export const getWorkspaceTokenBudget = async (ctx: Pick<TenantCtx, "tenantId" | "role">, opts: { now?: Date } = {}): Promise<WorkspaceTokenBudget> => {
  const status = await getTokenBudgetStatus(ctx.tenantId, opts);
  if (ctx.role !== "OWNER" || status.monthlyTokens === null) return { ...status, warningNoticeId: null };
  const notice = await db.tenantNotice.findFirst({
    where: { tenantId: ctx.tenantId, kind: TOKEN_BUDGET_WARNING_KIND, readAt: null },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, data: true },
  });
  // Last month's notice is moot once the month has rolled over.
  const current = notice && ZWarningData.safeParse(notice.data).data?.month === status.month;
  return { ...status, warningNoticeId: current ? notice.id : null };
};
