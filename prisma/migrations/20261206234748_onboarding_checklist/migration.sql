-- Issue 15, the onboarding checklist: the two facts only an admin's confirmation records (personas
-- reviewed as they are, the offline model kept on purpose), the checklist's dismissal, and an index for
-- the Overview's open action items (a workspace's newest first).

-- AlterTable
ALTER TABLE "Tenant" ADD COLUMN     "offlineModelConfirmedAt" TIMESTAMP(3),
ADD COLUMN     "onboardingDismissedAt" TIMESTAMP(3),
ADD COLUMN     "personasReviewedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "ActionItem_tenantId_createdAt_idx" ON "ActionItem"("tenantId", "createdAt");

