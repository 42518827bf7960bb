/**
 * A telemetry setting change reaches every process through the real Redis
 * (TEST_REDIS_URL, default redis://127.0.0.1:6379): invalidateTenantTelemetry
 * publishes the tenant on the channel, and a message on the channel (what
 * another process's invalidation sends) makes this process forget its cached
 * copy, so the tenant is redacted until its setting is read again. Fresh
 * module copies with REDIS_URL set (tests/support/redis-modules.ts).
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Policy from "./privacy-telemetry";
import type * as Source from "./privacy-telemetry-source";
import { importWithRedis, TEST_REDIS_URL } from "../../../tests/support/redis-modules";
import { createTenant } from "../../../prisma/factories";

type SubscriberGlobal = { __ocsuiteTelemetrySubscriber?: Redis | null };

let policy: typeof Policy;
let source: typeof Source;
let probe: Redis;
let listener: Redis;
let restore: () => Promise<void>;

beforeAll(async () => {
  let modules: [typeof Policy, typeof Source];
  ({ modules, probe, restore } = await importWithRedis(() => Promise.all([import("./privacy-telemetry"), import("./privacy-telemetry-source")])));
  [policy, source] = modules;
  listener = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 2 });
});

afterAll(async () => {
  await listener?.quit();
  const g = globalThis as SubscriberGlobal;
  await g.__ocsuiteTelemetrySubscriber?.quit();
  delete g.__ocsuiteTelemetrySubscriber;
  await restore?.();
});

const until = async (fn: () => boolean, timeoutMs = 5_000) => {
  const end = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe("invalidation across processes", () => {
  it("invalidateTenantTelemetry publishes the tenant id on the channel", async () => {
    const tenant = await createTenant();
    const heard: string[] = [];
    await listener.subscribe(source.TELEMETRY_POLICY_CHANNEL);
    listener.on("message", (_channel: string, message: string) => heard.push(message));
    await policy.invalidateTenantTelemetry(tenant.id);
    await until(() => heard.includes(tenant.id));
    await listener.unsubscribe(source.TELEMETRY_POLICY_CHANNEL);
  });

  it("a message from another process makes this one forget the setting (redacting until it is read again)", async () => {
    const tenant = await createTenant();
    // Subscribed on first use: reading the setting connects the subscriber.
    expect(await source.ensureTenantTelemetry(tenant.id)).toBe(true);
    const sub = (globalThis as SubscriberGlobal).__ocsuiteTelemetrySubscriber!;
    await until(() => sub.status === "ready");
    // Once the subscription is registered on the server, publish as another process would.
    for (let i = 0; i < 100 && Number((await probe.pubsub("NUMSUB", source.TELEMETRY_POLICY_CHANNEL))[1]) < 1; i++) await new Promise((r) => setTimeout(r, 20));
    expect(policy.isTelemetryAllowed(tenant.id)).toBe(true);
    await probe.publish(source.TELEMETRY_POLICY_CHANNEL, tenant.id);
    await until(() => !policy.isTelemetryAllowed(tenant.id));
    // The lookup the miss started reads it back.
    await until(() => policy.isTelemetryAllowed(tenant.id));
  });
});
