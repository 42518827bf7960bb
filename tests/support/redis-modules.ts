/**
 * For tests of the Redis path against the real Redis (redis://127.0.0.1:6379,
 * override with TEST_REDIS_URL). src/env.js reads REDIS_URL (and the limits) once at
 * import and infra/redis.ts caches its client on globalThis, so the environment is set
 * first and fresh copies of the modules are imported; `restore` puts everything back.
 */
import { Redis } from "ioredis";
import { vi } from "vitest";

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

type RedisGlobal = { __ocsuiteRedis?: Redis | null };

/**
 * Sets REDIS_URL and `env`, resets the module registry, runs `load` (the dynamic imports
 * under test) and waits until the app's Redis client is ready — until then the limiters
 * fall back to their in-memory insurance (rejectIfRedisNotReady), and the tests must
 * exercise Redis itself. Returns what `load` returned, a separate probe client for
 * reading keys, and `restore` for afterAll.
 */
export const importWithRedis = async <T>(load: () => Promise<T>, env: Record<string, string> = {}) => {
  const saved = Object.fromEntries(["REDIS_URL", ...Object.keys(env)].map((k) => [k, process.env[k]]));
  Object.assign(process.env, { REDIS_URL: TEST_REDIS_URL, ...env });
  vi.resetModules();
  delete (globalThis as RedisGlobal).__ocsuiteRedis;
  const modules = await load();
  const client = (await import("~/server/infra/redis")).getRedis()!;
  if (client.status !== "ready") await new Promise<void>((resolve, reject) => client.once("ready", resolve).once("error", reject));
  const probe = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 2 });
  const restore = async () => {
    await probe.quit();
    const g = globalThis as RedisGlobal;
    await g.__ocsuiteRedis?.quit();
    delete g.__ocsuiteRedis;
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    vi.resetModules();
  };
  return { modules, probe, restore };
};
