-- AlterTable
ALTER TABLE "InngestDeadLetter" ADD COLUMN     "discardReason" TEXT,
ADD COLUMN     "discardedAt" TIMESTAMP(3),
ADD COLUMN     "discardedBy" TEXT,
ADD COLUMN     "replayedBy" TEXT;

-- AlterTable
ALTER TABLE "JobHeartbeat" ADD COLUMN     "failUntilFixed" BOOLEAN NOT NULL DEFAULT false;

