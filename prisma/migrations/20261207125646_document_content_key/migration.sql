-- AlterTable
ALTER TABLE "Document" ADD COLUMN     "contentKeyCiphertext" TEXT;

