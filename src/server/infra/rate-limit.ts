import "server-only";
import { db } from "~/server/db/client";
import { logger } from "./logger";
import { metrics } from "./metrics";
import { getRedis } from "./redis";

export type RateLimitResult = { allowed: boolean; remaining: number; retryAfterSeconds: number };
export type RateLimitRule = { name: string; key: string; limit: number; windowSeconds: number };

// Fixed-window counters: Redis (INCR + PEXPIRE) when REDIS_URL is set, so every
// web instance shares them; otherwise one row per key in Postgres, which keeps
// the embedded default service-free. Both are atomic per key.
const hitRedis = async (key: string, windowSeconds: number) => {
  const redis = getRedis()!;
  const res = await redis.multi().incr(key).pexpire(key, windowSeconds * 1000, "NX").pttl(key).exec();
  if (!res) throw new Error("redis transaction aborted");
  const count = Number(res[0]?.[1] ?? 0);
  const ttlMs = Number(res[2]?.[1] ?? windowSeconds * 1000);
  return { count, resetInMs: ttlMs > 0 ? ttlMs : windowSeconds * 1000 };
};

const hitPostgres = async (key: string, windowSeconds: number) => {
  const rows = await db.$queryRaw<{ count: number; resetAt: Date }[]>`
    INSERT INTO "RateLimitBucket" ("key", "count", "resetAt")
    VALUES (${key}, 1, now() + make_interval(secs => ${windowSeconds}))
    ON CONFLICT ("key") DO UPDATE SET
      "count"   = CASE WHEN "RateLimitBucket"."resetAt" <= now() THEN 1 ELSE "RateLimitBucket"."count" + 1 END,
      "resetAt" = CASE WHEN "RateLimitBucket"."resetAt" <= now() THEN EXCLUDED."resetAt" ELSE "RateLimitBucket"."resetAt" END
    RETURNING "count", "resetAt"`;
  const row = rows[0]!;
  return { count: row.count, resetInMs: Math.max(0, row.resetAt.getTime() - Date.now()) };
};

/** Counts one hit against `rule` and says whether it is within the limit. */
export const hitRateLimit = async (rule: RateLimitRule): Promise<RateLimitResult> => {
  const key = `rl:${rule.name}:${rule.key}`;
  try {
    const { count, resetInMs } = getRedis() ? await hitRedis(key, rule.windowSeconds) : await hitPostgres(key, rule.windowSeconds);
    const allowed = count <= rule.limit;
    if (!allowed) metrics.rateLimited.add(1, { "ocsuite.limit": rule.name });
    return { allowed, remaining: Math.max(0, rule.limit - count), retryAfterSeconds: Math.max(1, Math.ceil(resetInMs / 1000)) };
  } catch (err) {
    // Fail open: a broken limiter must not lock every user out. It is logged
    // and /api/health reports the dependency as degraded.
    logger.error({ err, limit: rule.name }, "rate limiter unavailable; allowing request");
    return { allowed: true, remaining: rule.limit, retryAfterSeconds: 0 };
  }
};

/** Clears a counter, e.g. the per-account sign-in counter after a success. */
export const resetRateLimit = async (name: string, key: string): Promise<void> => {
  const full = `rl:${name}:${key}`;
  try {
    const redis = getRedis();
    if (redis) await redis.del(full);
    else await db.rateLimitBucket.deleteMany({ where: { key: full } });
  } catch (err) {
    logger.warn({ err, limit: name }, "could not reset rate limit");
  }
};
