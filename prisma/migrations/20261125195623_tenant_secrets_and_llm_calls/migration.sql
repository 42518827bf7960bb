-- CreateTable
CREATE TABLE "TenantDataKey" (
    "tenantId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "wrappedKey" BYTEA NOT NULL,
    "kekId" TEXT NOT NULL,
    "kekVersion" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TenantDataKey_pkey" PRIMARY KEY ("tenantId","version")
);

-- CreateTable
CREATE TABLE "ProviderCredential" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "baseUrl" TEXT,
    "defaultModel" TEXT,
    "secretCiphertext" TEXT NOT NULL,
    "keyVersion" INTEGER NOT NULL,
    "last4" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "lastUsedAt" TIMESTAMP(3),
    "lastTestedAt" TIMESTAMP(3),
    "lastTestOk" BOOLEAN,

    CONSTRAINT "ProviderCredential_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LlmCall" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "userId" TEXT,
    "personaKey" TEXT,
    "conversationId" TEXT,
    "provider" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "inputTokens" INTEGER,
    "outputTokens" INTEGER,
    "timeToFirstTokenMs" INTEGER,
    "durationMs" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "errorCode" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LlmCall_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TenantDataKey_kekId_kekVersion_idx" ON "TenantDataKey"("kekId", "kekVersion");

-- CreateIndex
CREATE INDEX "ProviderCredential_tenantId_createdAt_idx" ON "ProviderCredential"("tenantId", "createdAt");

-- CreateIndex
CREATE INDEX "LlmCall_tenantId_createdAt_idx" ON "LlmCall"("tenantId", "createdAt");

-- CreateIndex
CREATE INDEX "LlmCall_conversationId_idx" ON "LlmCall"("conversationId");

