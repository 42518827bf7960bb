-- AlterTable
ALTER TABLE "Document" ADD COLUMN     "contentKeyCiphertext" TEXT;


-- AlterTable
ALTER TABLE "Document" ADD COLUMN     "contentKeyVersion" INTEGER;

-- CreateIndex
CREATE INDEX "Document_tenantId_contentKeyVersion_idx" ON "Document"("tenantId", "contentKeyVersion");

