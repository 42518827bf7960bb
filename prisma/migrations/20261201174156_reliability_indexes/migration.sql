-- CreateIndex
CREATE INDEX "InngestRun_createdAt_idx" ON "InngestRun"("createdAt");

-- CreateIndex
CREATE INDEX "InngestRun_tenantId_createdAt_idx" ON "InngestRun"("tenantId", "createdAt");

-- CreateIndex
CREATE INDEX "LlmCall_createdAt_idx" ON "LlmCall"("createdAt");

-- CreateIndex
CREATE INDEX "Message_tenantId_createdAt_idx" ON "Message"("tenantId", "createdAt");

-- CreateIndex
CREATE INDEX "Message_createdAt_idx" ON "Message"("createdAt");

