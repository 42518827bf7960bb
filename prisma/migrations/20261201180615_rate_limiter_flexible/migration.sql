-- The limiter moved to rate-limiter-flexible (RateLimiterPrisma), which names the columns
-- "points" and "expire". Counters are short-lived windows, so the old ones are dropped rather
-- than converted (at worst a client gets one fresh window after the upgrade).
DELETE FROM "RateLimitBucket";

-- AlterTable
ALTER TABLE "RateLimitBucket" DROP COLUMN "count",
DROP COLUMN "resetAt",
ADD COLUMN     "expire" TIMESTAMP(3),
ADD COLUMN     "points" INTEGER NOT NULL;
