import { createTRPCRouter, protectedProcedure, tenantProcedure } from "~/server/api/trpc";
import { createTenant, getTenant, listMyTenants, renameTenant, updateTenantProfile } from "~/server/services/tenancy/tenants";
import { ZCreateTenantInput, ZGetTenantOutput, ZListTenantsOutput, ZRenameTenantInput, ZRenameTenantOutput, ZTenantSummary, ZUpdateProfileInput, ZUpdateProfileOutput } from "./schemas";

export const tenantRouter = createTRPCRouter({
  list: protectedProcedure.output(ZListTenantsOutput).query(({ ctx }) => listMyTenants(ctx.userCtx)),
  create: protectedProcedure.input(ZCreateTenantInput).output(ZTenantSummary).mutation(({ ctx, input }) => createTenant(ctx.userCtx, input)),
  get: tenantProcedure("VIEWER").output(ZGetTenantOutput).query(({ ctx }) => getTenant(ctx.tenant)),
  rename: tenantProcedure("ADMIN").input(ZRenameTenantInput).output(ZRenameTenantOutput).mutation(({ ctx, input }) => renameTenant(ctx.tenant, input)),
  updateProfile: tenantProcedure("ADMIN")
    .input(ZUpdateProfileInput)
    .output(ZUpdateProfileOutput)
    .mutation(({ ctx, input }) => updateTenantProfile(ctx.tenant, input)),
});
