import "server-only";
import type { Redis } from "ioredis";
import { db } from "~/server/db/client";
import { forgetTenantTelemetry, loadTenantTelemetry, primeTenantTelemetry, registerTenantTelemetrySource } from "./privacy-telemetry";
import { getRedis } from "./redis";

/*
 * The server side of privacy-telemetry.ts (which the instrumentation bundle
 * loads and so cannot import the database or Redis): the lookup of a tenant's
 * telemetry setting for tenants the cache does not know yet, and the
 * cross-process invalidation. Registered on import; the tenant context
 * (services/tenancy/tenant-context.ts, every request that names a workspace)
 * and the job telemetry middleware (events/telemetry.ts, every job) import it,
 * so every process that produces a tenant's telemetry has it.
 *
 * Invalidation: with REDIS_URL, a change is published on CHANNEL and every
 * process (subscribed here, on a dedicated connection: a subscribed ioredis
 * connection can run no other command) forgets its cached copy at once.
 * Without Redis (the embedded single-process default) there is nobody else to
 * tell; POLICY_TTL_MS bounds how long any other process could answer from an
 * old copy.
 */

export const TELEMETRY_POLICY_CHANNEL = "ocsuite:tenant-telemetry-policy";

const g = globalThis as unknown as { __ocsuiteTelemetrySubscriber?: Redis | null };

const subscribe = () => {
  if (g.__ocsuiteTelemetrySubscriber !== undefined) return;
  const redis = getRedis();
  g.__ocsuiteTelemetrySubscriber = redis ? redis.duplicate() : null;
  const sub = g.__ocsuiteTelemetrySubscriber;
  if (!sub) return;
  // A lost subscription only delays invalidation to the TTL; ioredis resubscribes on reconnect.
  sub.on("error", () => undefined);
  sub.on("message", (channel: string, tenantId: string) => {
    if (channel === TELEMETRY_POLICY_CHANNEL) forgetTenantTelemetry(tenantId);
  });
  void sub.subscribe(TELEMETRY_POLICY_CHANNEL).catch(() => undefined);
};

registerTenantTelemetrySource({
  load: async (tenantId) => {
    subscribe();
    return db.tenant.findUnique({ where: { id: tenantId }, select: { telemetryEnabled: true, slug: true } });
  },
  publish: async (tenantId) => {
    subscribe();
    await getRedis()?.publish(TELEMETRY_POLICY_CHANNEL, tenantId);
  },
});

/** Before a job's span starts: its tenant's setting is known (one query per tenant per TTL), so its spans are not redacted for lack of it. */
export const ensureTenantTelemetry = (tenantId: string): Promise<boolean> => {
  subscribe();
  return loadTenantTelemetry(tenantId);
};

/** Where a request resolved its tenant (the row is loaded anyway): primes the cache and ties the request's trace to the tenant. */
export const noteTenantTelemetry = (tenantId: string, telemetryEnabled: boolean, slug: string): void => {
  subscribe();
  primeTenantTelemetry(tenantId, telemetryEnabled, slug);
};
