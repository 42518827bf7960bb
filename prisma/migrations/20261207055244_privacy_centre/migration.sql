-- Privacy centre (issue 16): telemetry, residency and retention settings per workspace,
-- workspace deletion with a grace period, full data exports, the legal version a user accepted
-- and the residency region of each stored original.

ALTER TYPE "TenantStatus" ADD VALUE 'PENDING_DELETION';
ALTER TYPE "TenantStatus" ADD VALUE 'DELETED';

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "legalAcceptedAt" TIMESTAMP(3),
ADD COLUMN     "legalVersionAccepted" TEXT;

-- AlterTable
ALTER TABLE "Tenant" ADD COLUMN     "dataResidency" TEXT NOT NULL DEFAULT 'us',
ADD COLUMN     "deletedAt" TIMESTAMP(3),
ADD COLUMN     "deletionRequestedAt" TIMESTAMP(3),
ADD COLUMN     "deletionRequestedById" TEXT,
ADD COLUMN     "deletionScheduledFor" TIMESTAMP(3),
ADD COLUMN     "retentionAuditDays" INTEGER,
ADD COLUMN     "retentionConversationsDays" INTEGER,
ADD COLUMN     "retentionDocumentsDays" INTEGER,
ADD COLUMN     "retentionLlmCallsDays" INTEGER,
ADD COLUMN     "retentionMeetingsDays" INTEGER,
ADD COLUMN     "retentionPurgedAt" TIMESTAMP(3),
ADD COLUMN     "retentionTasksDays" INTEGER,
ADD COLUMN     "telemetryEnabled" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "Document" ADD COLUMN     "storageRegion" TEXT;

-- CreateTable
CREATE TABLE "DataExport" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "requestedById" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "progressDone" INTEGER NOT NULL DEFAULT 0,
    "progressTotal" INTEGER NOT NULL DEFAULT 0,
    "storageKey" TEXT,
    "sizeBytes" INTEGER,
    "sha256" TEXT,
    "counts" JSONB,
    "errorReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "completedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),

    CONSTRAINT "DataExport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DataExport_tenantId_createdAt_idx" ON "DataExport"("tenantId", "createdAt");

-- CreateIndex
CREATE INDEX "DataExport_status_expiresAt_idx" ON "DataExport"("status", "expiresAt");

-- AddForeignKey
ALTER TABLE "DataExport" ADD CONSTRAINT "DataExport_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

