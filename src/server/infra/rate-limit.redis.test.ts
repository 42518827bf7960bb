/**
 * The Redis path of the rate limiter, against the real Redis (TEST_REDIS_URL,
 * default redis://127.0.0.1:6379), on fresh copies of the modules
 * (tests/support/redis-modules.ts says why).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { randomBytes } from "node:crypto";
import type * as RateLimit from "./rate-limit";
import { importWithRedis } from "../../../tests/support/redis-modules";

const prefix = `vitest-${randomBytes(4).toString("hex")}`;

let rl: typeof RateLimit;
let probe: Redis;
let restore: () => Promise<void>;

beforeAll(async () => {
  ({ modules: rl, probe, restore } = await importWithRedis(() => import("./rate-limit")));
});

afterAll(async () => {
  const keys = await probe.keys(`rl:${prefix}*`);
  if (keys.length) await probe.del(...keys);
  await restore();
});

describe("rate limiter, Redis path", () => {
  it("uses Redis: the counter lives in Redis with a TTL, not in Postgres", async () => {
    const { getRedis } = await import("./redis");
    expect(getRedis()).not.toBeNull();
    const rule = { name: prefix, key: "ttl", limit: 3, windowSeconds: 60 };
    await rl.hitRateLimit(rule);
    const key = `rl:${prefix}:ttl`;
    expect(await probe.get(key)).toBe("1");
    const ttl = await probe.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    const { db } = await import("~/server/db/client");
    expect(await db.rateLimitBucket.findUnique({ where: { key } })).toBeNull();
  });

  it("limit 3: the 4th hit is refused with retryAfterSeconds >= 1; reset clears it", async () => {
    const rule = { name: prefix, key: "limit", limit: 3, windowSeconds: 30 };
    const hits = [];
    for (let i = 0; i < 3; i++) hits.push(await rl.hitRateLimit(rule));
    expect(hits.map((h) => [h.allowed, h.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
    ]);
    const fourth = await rl.hitRateLimit(rule);
    expect(fourth.allowed).toBe(false);
    expect(fourth.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(fourth.retryAfterSeconds).toBeLessThanOrEqual(30);

    await rl.resetRateLimit(rule.name, rule.key);
    expect(await probe.exists(`rl:${prefix}:limit`)).toBe(0);
    expect(await rl.hitRateLimit(rule)).toMatchObject({ allowed: true, remaining: 2 });
  });

  it("the window does not slide: later hits keep the first hit's expiry", async () => {
    const rule = { name: prefix, key: "window", limit: 10, windowSeconds: 2 };
    await rl.hitRateLimit(rule);
    const first = await probe.pttl(`rl:${prefix}:window`);
    await new Promise((r) => setTimeout(r, 300));
    await rl.hitRateLimit(rule);
    expect(await probe.pttl(`rl:${prefix}:window`)).toBeLessThan(first);
  });

  it("concurrent hits are counted atomically", async () => {
    const rule = { name: prefix, key: "burst", limit: 5, windowSeconds: 60 };
    const results = await Promise.all(Array.from({ length: 15 }, () => rl.hitRateLimit(rule)));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    expect(await probe.get(`rl:${prefix}:burst`)).toBe("15");
  });
});

describe("rate limiter when Redis stops answering", () => {
  it("CLIENT PAUSE on the real Redis: the in-memory insurance limiter answers within the timeout and still limits", async () => {
    const rule = { name: prefix, key: "paused", limit: 2, windowSeconds: 60 };
    // Pauses every client's writes for 3 s (the server keeps running; the pause ends by itself).
    await probe.call("CLIENT", "PAUSE", "3000", "WRITE");
    try {
      const started = performance.now();
      const hits = [await rl.hitRateLimit(rule), await rl.hitRateLimit(rule), await rl.hitRateLimit(rule)];
      expect(performance.now() - started).toBeLessThan(2500);
      expect(hits.map((h) => h.allowed)).toEqual([true, true, false]);
      expect(hits[2]).toMatchObject({ unavailable: false });
      expect(hits[2]!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    } finally {
      await probe.call("CLIENT", "UNPAUSE");
    }
  });

  it("a Redis nobody listens on: insurance limits; with the insurance failing too, an auth rule fails closed and others fail open", async () => {
    const { RateLimiterRedis } = await import("rate-limiter-flexible");
    // Port 1 on loopback: connection refused, no retries, so every command errors.
    const dead = new Redis("redis://127.0.0.1:1", { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true, retryStrategy: () => null });
    dead.on("error", () => undefined);
    const deadStore = (shape: { keyPrefix: string; points: number; duration: number }) => new RateLimiterRedis({ ...shape, storeClient: dead });
    try {
      const insured = rl.createRateLimiter(deadStore);
      const rule = { name: `${prefix}-dead`, key: "k", limit: 1, windowSeconds: 60, failClosed: true };
      expect(await insured.hit(rule)).toMatchObject({ allowed: true, unavailable: false });
      expect(await insured.hit(rule)).toMatchObject({ allowed: false, unavailable: false });

      const bothDown = rl.createRateLimiter(deadStore, { insurance: deadStore });
      expect(await bothDown.hit({ ...rule, key: "k2" })).toMatchObject({ allowed: false, unavailable: true, retryAfterSeconds: rl.LIMITER_UNAVAILABLE_RETRY_SECONDS });
      expect(await bothDown.hit({ ...rule, key: "k3", failClosed: false })).toMatchObject({ allowed: true, unavailable: false });
    } finally {
      dead.disconnect();
    }
  });
});
