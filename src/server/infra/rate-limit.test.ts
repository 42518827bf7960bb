import { describe, expect, it } from "vitest";
import { uid } from "../../../prisma/factories";
import { db } from "~/server/db/client";
import { env } from "~/env";
import { metricValue } from "../../../tests/support/prometheus-text";
import { createRateLimiter, hitRateLimit, LIMITER_UNAVAILABLE_RETRY_SECONDS, resetRateLimit } from "./rate-limit";
import { RateLimiterPrisma } from "rate-limiter-flexible";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "~/server/db/generated/client";
import { getRedis } from "./redis";

describe("rate limiter, Postgres path (no REDIS_URL)", () => {
  it("runs without Redis", () => {
    expect(env.REDIS_URL).toBeUndefined();
    expect(getRedis()).toBeNull();
  });

  it("allows `limit` hits, refuses the next with a retry delay, and reset clears it", async () => {
    const rule = { name: "test", key: uid(), limit: 3, windowSeconds: 60 };
    const hits = [];
    for (let i = 0; i < 3; i++) hits.push(await hitRateLimit(rule));
    expect(hits.map((h) => h.allowed)).toEqual([true, true, true]);
    expect(hits.map((h) => h.remaining)).toEqual([2, 1, 0]);

    const refusedBefore = await metricValue("ocsuite_rate_limited_total", { ocsuite_limit: "test" });
    const fourth = await hitRateLimit(rule);
    expect(fourth.allowed).toBe(false);
    expect(fourth.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(fourth.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(await metricValue("ocsuite_rate_limited_total", { ocsuite_limit: "test" })).toBe(refusedBefore + 1);

    const bucket = await db.rateLimitBucket.findUniqueOrThrow({ where: { key: `rl:test:${rule.key}` } });
    expect(bucket.points).toBe(4);

    await resetRateLimit(rule.name, rule.key);
    expect(await db.rateLimitBucket.findUnique({ where: { key: `rl:test:${rule.key}` } })).toBeNull();
    expect(await hitRateLimit(rule)).toMatchObject({ allowed: true, remaining: 2 });
  });

  it("keys are independent", async () => {
    const a = { name: "test", key: uid(), limit: 1, windowSeconds: 60 };
    const b = { ...a, key: uid() };
    await hitRateLimit(a);
    expect((await hitRateLimit(a)).allowed).toBe(false);
    expect((await hitRateLimit(b)).allowed).toBe(true);
  });

  it("an expired window starts over", async () => {
    const rule = { name: "test", key: uid(), limit: 1, windowSeconds: 60 };
    await hitRateLimit(rule);
    expect((await hitRateLimit(rule)).allowed).toBe(false);
    await db.rateLimitBucket.update({ where: { key: `rl:test:${rule.key}` }, data: { expire: new Date(Date.now() - 1000) } });
    expect(await hitRateLimit(rule)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it("concurrent hits are counted atomically", async () => {
    const rule = { name: "test", key: uid(), limit: 5, windowSeconds: 60 };
    const results = await Promise.all(Array.from({ length: 12 }, () => hitRateLimit(rule)));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    expect((await db.rateLimitBucket.findUniqueOrThrow({ where: { key: `rl:test:${rule.key}` } })).points).toBe(12);
  });
});

describe("rate limiter when Postgres fails", () => {
  // A Prisma client for a port nothing listens on: every query fails with a connection error.
  const broken = new PrismaClient({ adapter: new PrismaPg({ connectionString: "postgres://postgres@127.0.0.1:1/none", connectionTimeoutMillis: 300 }) });
  const brokenStore = (shape: { keyPrefix: string; points: number; duration: number }) =>
    new RateLimiterPrisma({ ...shape, storeClient: broken, tableName: "rateLimitBucket", clearExpiredByTimeout: false });

  it("the in-memory insurance limiter takes over and still limits", async () => {
    const limiter = createRateLimiter(brokenStore);
    const rule = { name: "test-pg-down", key: uid(), limit: 2, windowSeconds: 60 };
    const hits = [await limiter.hit(rule), await limiter.hit(rule), await limiter.hit(rule)];
    expect(hits.map((h) => h.allowed)).toEqual([true, true, false]);
    expect(hits[2]!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(hits[2]!.unavailable).toBe(false);
  });

  it("store and insurance both failing: an auth rule fails closed, another rule fails open", async () => {
    const limiter = createRateLimiter(brokenStore, { insurance: brokenStore });
    const closed = await limiter.hit({ name: "test-auth", key: uid(), limit: 5, windowSeconds: 60, failClosed: true });
    expect(closed).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: LIMITER_UNAVAILABLE_RETRY_SECONDS, unavailable: true });
    const open = await limiter.hit({ name: "test-chat", key: uid(), limit: 5, windowSeconds: 60 });
    expect(open).toMatchObject({ allowed: true, unavailable: false });
  });
});
