import "server-only";
import { db } from "~/server/db/client";
import { recordAudit } from "../audit/audit";
import type { TenantCtx } from "../context";

/*
 * What an admin records for the onboarding checklist (the router lets only
 * owners and admins call these): hiding and restoring it for the whole
 * workspace, and the two facts only a confirmation can record — the personas
 * reviewed as they are, the offline model kept on purpose. Each is a
 * conditional update, so a second click changes nothing and records nothing;
 * each change is audited on the workspace's chain like other settings.
 */

type Field = "onboardingDismissedAt" | "personasReviewedAt" | "offlineModelConfirmedAt";

const setOnce = async (ctx: TenantCtx, field: Field, value: Date | null, action: string): Promise<{ changed: boolean }> => {
  const where = value ? { id: ctx.tenantId, [field]: null } : { id: ctx.tenantId, NOT: { [field]: null } };
  const { count } = await db.tenant.updateMany({ where, data: { [field]: value } });
  if (count === 0) return { changed: false };
  await recordAudit({ tenantId: ctx.tenantId, actorId: ctx.userId, actorType: "USER", action, targetType: "tenant", targetId: ctx.tenantId, meta: ctx.meta });
  return { changed: true };
};

export const dismissOnboarding = (ctx: TenantCtx) => setOnce(ctx, "onboardingDismissedAt", new Date(), "onboarding.dismissed");
export const restoreOnboarding = (ctx: TenantCtx) => setOnce(ctx, "onboardingDismissedAt", null, "onboarding.restored");
export const confirmPersonasReviewed = (ctx: TenantCtx) => setOnce(ctx, "personasReviewedAt", new Date(), "tenant.personas_reviewed");
export const keepOfflineModel = (ctx: TenantCtx) => setOnce(ctx, "offlineModelConfirmedAt", new Date(), "tenant.offline_model_kept");
