import { createTRPCRouter, tenantProcedure } from "~/server/api/trpc";
import { getTenantUsage } from "~/server/services/reliability/tenant-usage";
import { ZTenantUsageOutput } from "./schemas";

/** A workspace's reliability and usage: owners and admins (members and viewers get FORBIDDEN). */
export const usageRouter = createTRPCRouter({
  get: tenantProcedure("ADMIN").output(ZTenantUsageOutput).query(({ ctx }) => getTenantUsage(ctx.tenant)),
});
