-- AlterTable
ALTER TABLE "Tenant" ADD COLUMN     "accessReviewIntervalDays" INTEGER NOT NULL DEFAULT 90;

-- AlterTable
ALTER TABLE "Membership" ADD COLUMN     "lastActiveAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "TenantDataKey" ADD COLUMN     "deactivatedAt" TIMESTAMP(3),
ADD COLUMN     "destroyedAt" TIMESTAMP(3),
ADD COLUMN     "retiredAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "KeyRotation" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "tenantId" TEXT,
    "status" TEXT NOT NULL,
    "fromVersion" INTEGER,
    "toVersion" INTEGER,
    "kekVersion" INTEGER,
    "trigger" TEXT NOT NULL,
    "requestedById" TEXT,
    "rowsTotal" INTEGER NOT NULL DEFAULT 0,
    "rowsDone" INTEGER NOT NULL DEFAULT 0,
    "batches" INTEGER NOT NULL DEFAULT 0,
    "cursor" TEXT,
    "error" TEXT,
    "retireAfter" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "KeyRotation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AccessReview" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "dueAt" TIMESTAMP(3) NOT NULL,
    "openedById" TEXT,
    "completedById" TEXT,
    "completedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AccessReview_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AccessReviewItem" (
    "id" TEXT NOT NULL,
    "reviewId" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "detail" JSONB NOT NULL,
    "decision" TEXT,
    "decidedById" TEXT,
    "decidedAt" TIMESTAMP(3),

    CONSTRAINT "AccessReviewItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "KeyRotation_tenantId_startedAt_idx" ON "KeyRotation"("tenantId", "startedAt");

-- CreateIndex
CREATE INDEX "KeyRotation_kind_status_idx" ON "KeyRotation"("kind", "status");

-- CreateIndex
CREATE INDEX "AccessReview_tenantId_createdAt_idx" ON "AccessReview"("tenantId", "createdAt");

-- CreateIndex
CREATE INDEX "AccessReviewItem_tenantId_idx" ON "AccessReviewItem"("tenantId");

-- CreateIndex
CREATE UNIQUE INDEX "AccessReviewItem_reviewId_kind_subjectId_key" ON "AccessReviewItem"("reviewId", "kind", "subjectId");

-- CreateIndex
CREATE INDEX "TenantDataKey_status_createdAt_idx" ON "TenantDataKey"("status", "createdAt");

-- AddForeignKey
ALTER TABLE "AccessReview" ADD CONSTRAINT "AccessReview_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessReviewItem" ADD CONSTRAINT "AccessReviewItem_reviewId_fkey" FOREIGN KEY ("reviewId") REFERENCES "AccessReview"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Hand-written (Prisma cannot express partial indexes): at most one key operation in flight per
-- tenant (master-key operations share the '*' slot), and at most one open access review per tenant.
CREATE UNIQUE INDEX "KeyRotation_one_in_flight" ON "KeyRotation"((COALESCE("tenantId", '*'))) WHERE "status" IN ('pending', 'reencrypting', 'verifying');
CREATE UNIQUE INDEX "AccessReview_one_open" ON "AccessReview"("tenantId") WHERE "status" = 'open';
