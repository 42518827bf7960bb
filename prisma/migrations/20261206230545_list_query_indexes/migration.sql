-- Issue 14, indexes for every list query: each index below serves a tenant-scoped list that
-- tests/query-plans.test.ts found on a sequential scan at 10k rows per workspace (see
-- docs/performance.md, "Indexes and query plans", for the query behind each one).

-- CreateIndex
CREATE INDEX "Membership_tenantId_createdAt_idx" ON "Membership"("tenantId", "createdAt");

-- CreateIndex
CREATE INDEX "Document_tenantId_status_sizeBytes_idx" ON "Document"("tenantId", "status", "sizeBytes");

-- CreateIndex
CREATE INDEX "Task_tenantId_createdAt_idx" ON "Task"("tenantId", "createdAt");

-- CreateIndex
CREATE INDEX "TenantNotice_tenantId_kind_createdAt_idx" ON "TenantNotice"("tenantId", "kind", "createdAt");

-- CreateIndex
CREATE INDEX "AccessReview_tenantId_status_completedAt_idx" ON "AccessReview"("tenantId", "status", "completedAt");

