import { createTRPCRouter, tenantProcedure } from "~/server/api/trpc";
import { getWorkspaceTokenBudget } from "~/server/services/budgets/workspace-budget";
import { getTenantUsage } from "~/server/services/reliability/tenant-usage";
import { ZTenantUsageOutput, ZWorkspaceTokenBudget } from "./schemas";

/**
 * A workspace's reliability and usage: owners and admins (members and viewers
 * get FORBIDDEN). Its monthly token budget: everyone in the workspace (the
 * banner when it is spent), with this month's 80 % notice for owners.
 */
export const usageRouter = createTRPCRouter({
  get: tenantProcedure("ADMIN").output(ZTenantUsageOutput).query(({ ctx }) => getTenantUsage(ctx.tenant)),
  budget: tenantProcedure("VIEWER").output(ZWorkspaceTokenBudget).query(({ ctx }) => getWorkspaceTokenBudget(ctx.tenant)),
});
