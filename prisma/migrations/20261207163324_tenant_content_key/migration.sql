-- CreateTable
CREATE TABLE "TenantContentKey" (
    "tenantId" TEXT NOT NULL,
    "keyCiphertext" TEXT NOT NULL,
    "keyVersion" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TenantContentKey_pkey" PRIMARY KEY ("tenantId")
);

