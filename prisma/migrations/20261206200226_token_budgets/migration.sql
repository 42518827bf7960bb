-- AlterTable
ALTER TABLE "Tenant" ADD COLUMN     "monthlyTokenBudget" INTEGER,
ADD COLUMN     "tokenBudgetWarnedMonth" TEXT;

-- CreateTable
CREATE TABLE "TenantTokenUsage" (
    "tenantId" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "tokens" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TenantTokenUsage_pkey" PRIMARY KEY ("tenantId","month")
);

-- AddForeignKey
ALTER TABLE "TenantTokenUsage" ADD CONSTRAINT "TenantTokenUsage_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

