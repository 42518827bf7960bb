import { createTRPCRouter, tenantProcedure } from "~/server/api/trpc";
import { listTenantPersonas, resetTenantPersona, updateTenantPersona } from "~/server/services/personas/tenant-personas";
import { ZListPersonasOutput, ZResetPersonaInput, ZTenantPersona, ZUpdatePersonaInput } from "./schemas";

/** The workspace's executive personas: admins customise, enable and disable them. */
export const personaRouter = createTRPCRouter({
  list: tenantProcedure("ADMIN").output(ZListPersonasOutput).query(({ ctx }) => listTenantPersonas(ctx.tenant)),
  update: tenantProcedure("ADMIN").input(ZUpdatePersonaInput).output(ZTenantPersona).mutation(({ ctx, input }) => updateTenantPersona(ctx.tenant, input)),
  reset: tenantProcedure("ADMIN").input(ZResetPersonaInput).output(ZTenantPersona).mutation(({ ctx, input }) => resetTenantPersona(ctx.tenant, input)),
});
