import "server-only";
import { ONBOARDING_STEPS, type TOnboardingStepKey } from "~/lib/onboarding-steps";
import { hasRole } from "~/lib/roles";
import { db } from "~/server/db/client";
import type { TenantCtx } from "../context";

/*
 * The onboarding checklist of a workspace, derived from its data — never from
 * clicks on the list itself. One round trip: each step is a LIMIT 1 probe on an
 * indexed (tenantId, …) prefix, so it stops at the first row it finds however
 * much the workspace holds. The subqueries take the tenant id as a parameter,
 * not from the outer row, so each runs once as an index scan
 * (tests/query-plans.test.ts checks the plan at 10k rows a workspace).
 * Two facts no other row records come from the tenant: personasReviewedAt (an admin confirmed the personas as they are; any
 * customisation counts too) and offlineModelConfirmedAt (an admin chose the
 * built-in offline model over a provider key).
 *
 * Owners and admins see every step; members the ones that are their work;
 * viewers, who can do none of it, see none.
 */

type StepRow = Record<TOnboardingStepKey, boolean> & { dismissed: boolean };

const readSteps = async (tenantId: string): Promise<StepRow> => {
  // Each probe is a scalar subquery ordered along its index with LIMIT 1, not an EXISTS: PostgreSQL
  // drops ORDER BY and LIMIT inside EXISTS and may then prefer a sequential scan that "stops at the
  // first match" — which reads the whole table for a new workspace with no match.
  const [row] = await db.$queryRaw<StepRow[]>`
    SELECT
      (t."industry" IS NOT NULL OR t."description" IS NOT NULL) AS "profile",
      (t."personasReviewedAt" IS NOT NULL
        OR (SELECT 1 FROM "TenantPersona" p WHERE p."tenantId" = ${tenantId} ORDER BY p."key" LIMIT 1) IS NOT NULL) AS "personas",
      (t."offlineModelConfirmedAt" IS NOT NULL
        OR (SELECT 1 FROM "ProviderCredential" c WHERE c."tenantId" = ${tenantId} ORDER BY c."createdAt" LIMIT 1) IS NOT NULL) AS "provider",
      (SELECT 1 FROM "Document" d WHERE d."tenantId" = ${tenantId} AND d."status" = 'ready' ORDER BY d."sizeBytes" LIMIT 1) IS NOT NULL AS "document",
      (SELECT 1 FROM "Message" m WHERE m."tenantId" = ${tenantId} AND m."role" = 'assistant' AND m."status" = 'complete' ORDER BY m."createdAt" LIMIT 1) IS NOT NULL AS "chat",
      (SELECT 1 FROM "Meeting" mt WHERE mt."tenantId" = ${tenantId} AND mt."status" = 'completed' ORDER BY mt."createdAt" LIMIT 1) IS NOT NULL AS "meeting",
      (SELECT 1 FROM "Task" k WHERE k."tenantId" = ${tenantId} AND k."sourceActionItemId" IS NOT NULL ORDER BY k."createdAt" LIMIT 1) IS NOT NULL AS "actionTask",
      ((SELECT 1 FROM "Invitation" i WHERE i."tenantId" = ${tenantId} ORDER BY i."createdAt" LIMIT 1) IS NOT NULL
        OR (SELECT 1 FROM "Membership" ms WHERE ms."tenantId" = ${tenantId} ORDER BY ms."createdAt" OFFSET 1 LIMIT 1) IS NOT NULL) AS "invite",
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
