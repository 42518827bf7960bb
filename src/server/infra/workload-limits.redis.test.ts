/**
 * Workload limits on the Redis store (the production path), against the real
 * Redis (TEST_REDIS_URL), on fresh copies of the modules with the limits below
 * (tests/support/redis-modules.ts). Keys are this run's own users, workspaces
 * and addresses (random), deleted afterwards.
 */
import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as WorkloadLimits from "./workload-limits";
import { importWithRedis } from "../../../tests/support/redis-modules";

const LIMITS: Record<string, string> = {
  RATE_LIMIT_MEETINGS_PER_HOUR: "2",
  RATE_LIMIT_MEETINGS_IP_PER_HOUR: "3",
  RATE_LIMIT_MEETINGS_TENANT_PER_HOUR: "4",
};
const id = (what: string) => `${what}-${randomBytes(6).toString("hex")}`;

let wl: typeof WorkloadLimits;
let probe: Redis;
let restore: () => Promise<void>;
const used: string[] = [];

beforeAll(async () => {
  ({ modules: wl, probe, restore } = await importWithRedis(() => import("./workload-limits"), LIMITS));
});

afterAll(async () => {
  const keys = used.flatMap((k) => ["user", "ip", "tenant"].map((tier) => `rl:meeting-${tier}:${k}`));
  if (keys.length) await probe.del(...keys);
  await restore();
});

const actor = (o: { ip?: string | null; userId?: string; tenantId?: string | null } = {}) => {
  const a = { ip: o.ip === undefined ? id("ip") : o.ip, userId: o.userId ?? id("user"), tenantId: o.tenantId === undefined ? id("tenant") : o.tenantId };
  used.push(...[a.ip, a.userId, a.tenantId].filter((k): k is string => !!k));
  return a;
};
/** The AppError a refused call throws (or null when allowed). */
const refusalOf = async (who: WorkloadLimits.WorkloadActor) => {
  try {
    await wl.enforceWorkloadLimit("meeting", who);
    return null;
  } catch (err) {
    return err as { code: string; reason: string; message: string; retryAfterSeconds: number };
  }
};

describe("workload limits, Redis store", () => {
  it("counts each tier in Redis under rl:<kind>-<tier>:<key> with the kind's window", async () => {
    const who = actor();
    expect(await refusalOf(who)).toBeNull();
    for (const [tier, key] of [["user", who.userId], ["ip", who.ip], ["tenant", who.tenantId]] as const) {
      expect(await probe.get(`rl:meeting-${tier}:${key}`)).toBe("1");
      const ttl = await probe.pttl(`rl:meeting-${tier}:${key}`);
      expect(ttl).toBeGreaterThan(3_500_000);
      expect(ttl).toBeLessThanOrEqual(3_600_000);
    }
  });

  it("per user: the 3rd is refused (TOO_MANY_REQUESTS rateLimited, Retry-After ≈ the hour's rest), the tier named", async () => {
    const userId = id("user");
    const tenantId = id("tenant");
    expect(await refusalOf(actor({ userId, tenantId }))).toBeNull();
    expect(await refusalOf(actor({ userId, tenantId }))).toBeNull();
    const err = await refusalOf(actor({ userId, tenantId }));
    expect(err).toMatchObject({ code: "TOO_MANY_REQUESTS", reason: "rateLimited" });
    expect(err!.retryAfterSeconds).toBeGreaterThan(3500);
    expect(err!.message).toMatch(/for your account/);
  });

  it("per IP across users and workspaces; no IP (unknown address) is not counted as one shared address", async () => {
    const ip = id("ip");
    for (let i = 0; i < 3; i++) expect(await refusalOf(actor({ ip }))).toBeNull();
    expect((await refusalOf(actor({ ip })))!.message).toMatch(/from your network address/);
    for (let i = 0; i < 4; i++) expect(await refusalOf(actor({ ip: null }))).toBeNull();
  });

  it("per workspace across members; another workspace is not affected; a refused member does not use it up", async () => {
    const tenantId = id("tenant");
    const hammer = id("user");
    // One member past their own limit: refused at the user tier, the workspace's count stays at 2.
    for (let i = 0; i < 5; i++) await refusalOf(actor({ tenantId, userId: hammer }));
    expect(await probe.get(`rl:meeting-tenant:${tenantId}`)).toBe("2");
    expect(await refusalOf(actor({ tenantId }))).toBeNull();
    expect(await refusalOf(actor({ tenantId }))).toBeNull();
    expect((await refusalOf(actor({ tenantId })))!.message).toMatch(/in this workspace/);
    expect(await refusalOf(actor())).toBeNull();
  });

  it("user and IP refusing together: the longer Retry-After wins", async () => {
    const who = actor();
    // The address's window started earlier and runs longer (an hour and a half).
    await probe.set(`rl:meeting-ip:${who.ip}`, "3", "PX", 5_400_000);
    // The account's two meetings come from elsewhere; the third, from this address, is over both.
    for (let i = 0; i < 2; i++) await wl.enforceWorkloadLimit("meeting", { ...who, ip: null });
    const err = await refusalOf(who);
    expect(err!.message).toMatch(/for your account and from your network address/);
    expect(err!.retryAfterSeconds).toBeGreaterThan(5000);
  });
});
