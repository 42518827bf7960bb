import "server-only";
import { Redis } from "ioredis";
import { env } from "~/env";

const g = globalThis as unknown as { __ocsuiteRedis?: Redis | null };

/** The shared Redis connection, or null when REDIS_URL is not configured. */
export const getRedis = (): Redis | null => {
  if (g.__ocsuiteRedis !== undefined) return g.__ocsuiteRedis;
  g.__ocsuiteRedis = env.REDIS_URL
    ? new Redis(env.REDIS_URL, { maxRetriesPerRequest: 2, connectTimeout: 2000 })
    : null;
  return g.__ocsuiteRedis;
};
