import { describe, expect, it } from "vitest";
import { uid } from "../../../prisma/factories";
import { db } from "~/server/db/client";
import { env } from "~/env";
import { metricValue } from "../../../tests/support/prometheus-text";
import { hitRateLimit, resetRateLimit } from "./rate-limit";
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
    expect(bucket.count).toBe(4);

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
    await db.rateLimitBucket.update({ where: { key: `rl:test:${rule.key}` }, data: { resetAt: new Date(Date.now() - 1000) } });
    expect(await hitRateLimit(rule)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it("concurrent hits are counted atomically", async () => {
    const rule = { name: "test", key: uid(), limit: 5, windowSeconds: 60 };
    const results = await Promise.all(Array.from({ length: 12 }, () => hitRateLimit(rule)));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    expect((await db.rateLimitBucket.findUniqueOrThrow({ where: { key: `rl:test:${rule.key}` } })).count).toBe(12);
  });
});
