import { createTRPCRouter, tenantProcedure } from "~/server/api/trpc";
import { getOnboardingChecklist } from "~/server/services/onboarding/checklist";
import { confirmPersonasReviewed, dismissOnboarding, keepOfflineModel, restoreOnboarding } from "~/server/services/onboarding/onboarding-actions";
import { ZOnboardingChange, ZOnboardingChecklist } from "./schemas";

/**
 * The workspace's onboarding checklist: everyone reads theirs (viewers get no
 * steps); owners and admins hide and restore it, and record the two facts
 * only they can confirm (personas reviewed, offline model kept).
 */
export const onboardingRouter = createTRPCRouter({
  get: tenantProcedure("VIEWER").output(ZOnboardingChecklist).query(({ ctx }) => getOnboardingChecklist(ctx.tenant)),
  dismiss: tenantProcedure("ADMIN").output(ZOnboardingChange).mutation(({ ctx }) => dismissOnboarding(ctx.tenant)),
  restore: tenantProcedure("ADMIN").output(ZOnboardingChange).mutation(({ ctx }) => restoreOnboarding(ctx.tenant)),
  confirmPersonas: tenantProcedure("ADMIN").output(ZOnboardingChange).mutation(({ ctx }) => confirmPersonasReviewed(ctx.tenant)),
  keepOfflineModel: tenantProcedure("ADMIN").output(ZOnboardingChange).mutation(({ ctx }) => keepOfflineModel(ctx.tenant)),
});
