-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "searchIndex" TEXT;

