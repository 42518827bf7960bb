import { createTRPCRouter, tenantProcedure } from "~/server/api/trpc";
import { getPrivacySettings, updatePrivacySettings } from "~/server/services/privacy/settings";
import { ZPrivacySettings, ZPrivacyUpdateInput } from "./schemas";

/**
 * The privacy centre's settings (/t/<slug>/settings/privacy): telemetry, data residency and
 * retention. Admins read them; owners change them (the service owns the rules and the audit).
 */
export const privacyRouter = createTRPCRouter({
  get: tenantProcedure("ADMIN").output(ZPrivacySettings).query(({ ctx }) => getPrivacySettings(ctx.tenant)),
  update: tenantProcedure("OWNER")
    .input(ZPrivacyUpdateInput)
    .output(ZPrivacySettings)
    .mutation(({ ctx, input }) => updatePrivacySettings(ctx.tenant, input)),
});
