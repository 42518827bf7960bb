-- AlterTable
ALTER TABLE "DataExport" ADD COLUMN     "archiveKeyCiphertext" TEXT,
ADD COLUMN     "archiveKeyVersion" INTEGER,
ADD COLUMN     "storageRegion" TEXT;

