import "server-only";
import {
  RateLimiterMemory,
  RateLimiterPrisma,
  RateLimiterRedis,
  RateLimiterRes,
  RLWrapperTimeouts,
  type RateLimiterAbstract,
} from "rate-limiter-flexible";
import { db } from "~/server/db/client";
import { logger } from "./logger";
import { metrics } from "./metrics";
import { getRedis } from "./redis";

export type RateLimitResult = {
  allowed: boolean;
  remaining: number;
  retryAfterSeconds: number;
  /** True when no store could count the hit and the rule failed closed (answer 503, not 429). */
  unavailable: boolean;
};

/**
 * `failClosed`: refuse when no store can count the hit. Set for the limits
 * that stop password guessing and mail flooding (sign-in, sign-up, magic link):
 * a limiter outage must not switch brute-force protection off. Other limits
 * (chat, uploads, workspace creation) fail open, as a broken limiter must not
 * lock every user out of the product; that is logged.
 */
export type RateLimitRule = { name: string; key: string; limit: number; windowSeconds: number; failClosed?: boolean };

/** How long a store may take before the in-memory insurance limiter answers instead (a paused or stalled Redis). */
const STORE_TIMEOUT_MS = 500;
/** Retry-After when the limiter itself is down and the rule failed closed. */
export const LIMITER_UNAVAILABLE_RETRY_SECONDS = 30;

type LimiterShape = { keyPrefix: string; points: number; duration: number };
/** Builds the store-backed limiter for one rule shape; the insurance limiter is added around it. */
export type StoreFactory = (shape: LimiterShape) => RateLimiterAbstract;

/**
 * rate-limiter-flexible, fixed windows (the window starts at a key's first hit).
 * The store (Redis when REDIS_URL is set, shared by every web instance; else
 * Postgres through Prisma, so the embedded default needs no services) is
 * wrapped in a timeout, and when it errors or stalls an in-memory limiter of
 * the same shape takes over (per process, so a little looser across
 * instances, but still limiting). Only when that fails too does the rule's
 * failClosed decide.
 */
export const createRateLimiter = (store: StoreFactory, opts: { insurance?: StoreFactory; timeoutMs?: number } = {}) => {
  const insurance = opts.insurance ?? ((shape: LimiterShape) => new RateLimiterMemory(shape));
  const limiters = new Map<string, RateLimiterAbstract>();
  const limiterFor = (name: string, limit: number, windowSeconds: number) => {
    const id = `${name}|${limit}|${windowSeconds}`;
    let limiter = limiters.get(id);
    if (!limiter) {
      const shape = { keyPrefix: `rl:${name}`, points: limit, duration: windowSeconds };
      limiter = new RLWrapperTimeouts({ limiter: store(shape), timeoutMs: opts.timeoutMs ?? STORE_TIMEOUT_MS, insuranceLimiter: insurance(shape) });
      limiters.set(id, limiter);
    }
    return limiter;
  };

  const resultOf = (res: RateLimiterRes, allowed: boolean): RateLimitResult => ({
    allowed,
    remaining: Math.max(0, res.remainingPoints),
    retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
    unavailable: false,
  });

  /** Counts one hit against `rule` and says whether it is within the limit. */
  const hit = async (rule: RateLimitRule): Promise<RateLimitResult> => {
    try {
      return resultOf(await limiterFor(rule.name, rule.limit, rule.windowSeconds).consume(rule.key), true);
    } catch (err) {
      if (err instanceof RateLimiterRes) {
        metrics.rateLimited.add(1, { "ocsuite.limit": rule.name });
        return resultOf(err, false);
      }
      if (rule.failClosed) {
        logger.error({ err, limit: rule.name }, "rate limiter unavailable; refusing (fail closed)");
        metrics.rateLimited.add(1, { "ocsuite.limit": rule.name });
        return { allowed: false, remaining: 0, retryAfterSeconds: LIMITER_UNAVAILABLE_RETRY_SECONDS, unavailable: true };
      }
      logger.error({ err, limit: rule.name }, "rate limiter unavailable; allowing request (fail open)");
      return { allowed: true, remaining: rule.limit, retryAfterSeconds: 0, unavailable: false };
    }
  };

  /** Clears a counter, e.g. the per-account sign-in counter after a success (store and insurance both). */
  const reset = async (name: string, key: string): Promise<void> => {
    // The store's row or key depends only on the name; a limiter of any shape deletes it, so make
    // sure one exists even on an instance that has not counted this rule yet.
    limiterFor(name, 1, 1);
    const matching = [...limiters.entries()].filter(([id]) => id.startsWith(`${name}|`)).map(([, l]) => l);
    await Promise.all(
      matching.map((l) =>
        l.delete(key).catch((err: unknown) => {
          logger.warn({ err, limit: name }, "could not reset rate limit");
        }),
      ),
    );
  };

  return { hit, reset };
};

const defaultStore: StoreFactory = (shape) => {
  const redis = getRedis();
  // rejectIfRedisNotReady: while the connection is down, go to the insurance limiter at once
  // instead of queueing the command until the timeout.
  if (redis) return new RateLimiterRedis({ ...shape, storeClient: redis, rejectIfRedisNotReady: true });
  return new RateLimiterPrisma({ ...shape, storeClient: db, tableName: "rateLimitBucket" });
};

let app: ReturnType<typeof createRateLimiter> | undefined;
const appLimiter = () => (app ??= createRateLimiter(defaultStore));

/** Counts one hit against `rule` with the app's limiter (see createRateLimiter). */
export const hitRateLimit = (rule: RateLimitRule): Promise<RateLimitResult> => appLimiter().hit(rule);

/** Clears a counter of the app's limiter. */
export const resetRateLimit = (name: string, key: string): Promise<void> => appLimiter().reset(name, key);
