-- Issue 15: the workspace search reads the newest decisions of a workspace first
-- (services/search/sources.ts, RECENT_WINDOW), and without this index that window was a
-- sequential scan and a sort of every decision (8 ms at 15,000 per workspace).
-- CreateIndex
CREATE INDEX "MeetingOutcome_tenantId_createdAt_idx" ON "MeetingOutcome"("tenantId", "createdAt");

