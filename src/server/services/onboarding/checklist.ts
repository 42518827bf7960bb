import "server-only";
import { ONBOARDING_STEPS, type TOnboardingStepKey } from "~/lib/onboarding-steps";
import { hasRole } from "~/lib/roles";
import { db } from "~/server/db/client";
import type { TenantCtx } from "../context";

/*
 * The onboarding checklist of a workspace, derived from its data — never from
 * clicks on the list itself. One round trip: each step is an EXISTS on an
 * indexed (tenantId, …) prefix, so it stops at the first row it finds however
 * much the workspace holds. Two facts no other row records come from the
 * tenant: personasReviewedAt (an admin confirmed the personas as they are; any
 * customisation counts too) and offlineModelConfirmedAt (an admin chose the
 * built-in offline model over a provider key).
 *
 * Owners and admins see every step; members the ones that are their work;
 * viewers, who can do none of it, see none.
 */

type StepRow = Record<TOnboardingStepKey, boolean> & { dismissed: boolean };

const readSteps = async (tenantId: string): Promise<StepRow> => {
  const [row] = await db.$queryRaw<StepRow[]>`
    SELECT
      (t."industry" IS NOT NULL OR t."description" IS NOT NULL) AS "profile",
      (t."personasReviewedAt" IS NOT NULL OR EXISTS (SELECT 1 FROM "TenantPersona" p WHERE p."tenantId" = t."id")) AS "personas",
      (t."offlineModelConfirmedAt" IS NOT NULL OR EXISTS (SELECT 1 FROM "ProviderCredential" c WHERE c."tenantId" = t."id")) AS "provider",
      EXISTS (SELECT 1 FROM "Document" d WHERE d."tenantId" = t."id" AND d."status" = 'ready') AS "document",
      EXISTS (SELECT 1 FROM "Message" m WHERE m."tenantId" = t."id" AND m."role" = 'assistant' AND m."status" = 'complete') AS "chat",
      EXISTS (SELECT 1 FROM "Meeting" mt WHERE mt."tenantId" = t."id" AND mt."status" = 'completed') AS "meeting",
      EXISTS (SELECT 1 FROM "Task" k WHERE k."tenantId" = t."id" AND k."sourceActionItemId" IS NOT NULL) AS "actionTask",
      (EXISTS (SELECT 1 FROM "Invitation" i WHERE i."tenantId" = t."id")
        OR (SELECT count(*) FROM (SELECT 1 FROM "Membership" ms WHERE ms."tenantId" = t."id" LIMIT 2) two) > 1) AS "invite",
      (t."onboardingDismissedAt" IS NOT NULL) AS "dismissed"
    FROM "Tenant" t
    WHERE t."id" = ${tenantId}`;
  if (!row) throw new Error(`tenant ${tenantId} not found`);
  return row;
};

export type OnboardingStep = { key: TOnboardingStepKey; done: boolean };
export type OnboardingChecklist = {
  steps: OnboardingStep[];
  doneCount: number;
  total: number;
  complete: boolean;
  dismissed: boolean;
  /** Owners and admins may dismiss and restore it. */
  canManage: boolean;
};

export const getOnboardingChecklist = async (ctx: Pick<TenantCtx, "tenantId" | "role">): Promise<OnboardingChecklist> => {
  const row = await readSteps(ctx.tenantId);
  const isAdmin = hasRole(ctx.role, "ADMIN");
  const visible = ONBOARDING_STEPS.filter((s) => (s.audience === "admin" ? isAdmin : hasRole(ctx.role, "MEMBER")));
  const steps = visible.map((s) => ({ key: s.key, done: row[s.key] }));
  const doneCount = steps.filter((s) => s.done).length;
  return { steps, doneCount, total: steps.length, complete: steps.length > 0 && doneCount === steps.length, dismissed: row.dismissed, canManage: isAdmin };
};
