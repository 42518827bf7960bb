-- CreateIndex
CREATE INDEX "Meeting_tenantId_status_idx" ON "Meeting"("tenantId", "status");

