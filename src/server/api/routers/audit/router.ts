import { createTRPCRouter, tenantProcedure } from "~/server/api/trpc";
import { listTenantAudit, verifyTenantAudit } from "~/server/services/audit/tenant-audit";
import { ZTenantAuditListInput, ZTenantAuditListOutput, ZTenantAuditVerifyOutput } from "./schemas";

/** The tenant's own audit trail (owners and admins). Export is a route handler: GET /api/t/<slug>/audit/export. */
export const auditRouter = createTRPCRouter({
  list: tenantProcedure("ADMIN").input(ZTenantAuditListInput).output(ZTenantAuditListOutput).query(({ ctx, input }) => listTenantAudit(ctx.tenant, input)),
  verify: tenantProcedure("ADMIN").output(ZTenantAuditVerifyOutput).query(({ ctx }) => verifyTenantAudit(ctx.tenant)),
});
