-- CreateTable
CREATE TABLE "InngestApp" (
    "id" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "functions" JSONB NOT NULL,
    "syncedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InngestApp_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InngestEvent" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "ts" TIMESTAMP(3) NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InngestEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InngestRun" (
    "id" TEXT NOT NULL,
    "appId" TEXT NOT NULL,
    "functionId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "event" JSONB NOT NULL,
    "events" JSONB NOT NULL,
    "tenantId" TEXT,
    "maxAttempts" INTEGER NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "disableImmediate" BOOLEAN NOT NULL DEFAULT false,
    "output" JSONB,
    "error" JSONB,
    "parentRunId" TEXT,
    "parentStepId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "InngestRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InngestStep" (
    "runId" TEXT NOT NULL,
    "stepId" TEXT NOT NULL,
    "seq" SERIAL NOT NULL,
    "op" TEXT NOT NULL,
    "name" TEXT,
    "data" JSONB,
    "error" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InngestStep_pkey" PRIMARY KEY ("runId","stepId")
);

-- CreateTable
CREATE TABLE "InngestQueueItem" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "stepId" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "availableAt" TIMESTAMP(3) NOT NULL,
    "leaseUntil" TIMESTAMP(3),
    "leaseOwner" TEXT,
    "concurrency" JSONB,
    "throttleKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InngestQueueItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InngestWait" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "stepId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "eventName" TEXT,
    "expression" TEXT,
    "childRunId" TEXT,
    "expiresAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InngestWait_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InngestThrottle" (
    "key" TEXT NOT NULL,
    "tat" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InngestThrottle_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "InngestIdempotencyKey" (
    "key" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InngestIdempotencyKey_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "InngestDeadLetter" (
    "id" TEXT NOT NULL,
    "functionId" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "eventName" TEXT NOT NULL,
    "event" JSONB NOT NULL,
    "tenantId" TEXT,
    "errorName" TEXT NOT NULL,
    "errorMessage" TEXT NOT NULL,
    "error" JSONB NOT NULL,
    "attempts" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "replayedAt" TIMESTAMP(3),

    CONSTRAINT "InngestDeadLetter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JobHeartbeat" (
    "id" TEXT NOT NULL,
    "pingId" TEXT NOT NULL,
    "tenantId" TEXT,
    "beats" INTEGER NOT NULL DEFAULT 0,
    "lastBeatAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JobHeartbeat_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "InngestEvent_name_receivedAt_idx" ON "InngestEvent"("name", "receivedAt");

-- CreateIndex
CREATE INDEX "InngestRun_functionId_status_idx" ON "InngestRun"("functionId", "status");

-- CreateIndex
CREATE INDEX "InngestRun_status_idx" ON "InngestRun"("status");

-- CreateIndex
CREATE INDEX "InngestRun_tenantId_idx" ON "InngestRun"("tenantId");

-- CreateIndex
CREATE INDEX "InngestQueueItem_availableAt_idx" ON "InngestQueueItem"("availableAt");

-- CreateIndex
CREATE INDEX "InngestQueueItem_runId_idx" ON "InngestQueueItem"("runId");

-- CreateIndex
CREATE INDEX "InngestWait_eventName_idx" ON "InngestWait"("eventName");

-- CreateIndex
CREATE INDEX "InngestWait_expiresAt_idx" ON "InngestWait"("expiresAt");

-- CreateIndex
CREATE INDEX "InngestWait_childRunId_idx" ON "InngestWait"("childRunId");

-- CreateIndex
CREATE INDEX "InngestWait_runId_idx" ON "InngestWait"("runId");

-- CreateIndex
CREATE UNIQUE INDEX "InngestDeadLetter_runId_key" ON "InngestDeadLetter"("runId");

-- CreateIndex
CREATE INDEX "InngestDeadLetter_tenantId_createdAt_idx" ON "InngestDeadLetter"("tenantId", "createdAt");

-- CreateIndex
CREATE INDEX "InngestDeadLetter_functionId_createdAt_idx" ON "InngestDeadLetter"("functionId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "JobHeartbeat_pingId_key" ON "JobHeartbeat"("pingId");

