import "server-only";
import { db } from "~/server/db/client";
import { getRedis } from "~/server/infra/redis";

export type CheckResult = { status: "ok" | "error" | "disabled"; latencyMs?: number; error?: string };
export type Health = { status: "ok" | "degraded"; checks: Record<string, CheckResult>; version: string; uptimeSeconds: number };

const timed = async (fn: () => Promise<unknown>, timeoutMs = 2000): Promise<CheckResult> => {
  const start = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([fn(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs)))]);
    return { status: "ok", latencyMs: Math.round(performance.now() - start) };
  } catch (err) {
    return { status: "error", latencyMs: Math.round(performance.now() - start), error: (err as Error).message.slice(0, 200) };
  } finally {
    clearTimeout(timer);
  }
};

/**
 * Readiness of the process's dependencies. The database is required; Redis is
 * checked only when configured. Any failing check makes the whole "degraded"
 * (HTTP 503) so a load balancer takes the instance out of rotation.
 */
export const checkHealth = async (): Promise<Health> => {
  const redis = getRedis();
  const [database, cache] = await Promise.all([
    timed(() => db.$queryRaw`SELECT 1`),
    redis ? timed(() => redis.ping()) : Promise.resolve<CheckResult>({ status: "disabled" }),
  ]);
  const checks = { database, redis: cache };
  const degraded = Object.values(checks).some((c) => c.status === "error");
  return {
    status: degraded ? "degraded" : "ok",
    checks,
    version: process.env.npm_package_version ?? "0.1.0",
    uptimeSeconds: Math.round(process.uptime()),
  };
};
