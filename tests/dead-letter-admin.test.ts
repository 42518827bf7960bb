/**
 * Dead-letter admin and the diagnostic job, end to end through the real tRPC
 * router (as a platform admin), the app's real Inngest functions served over
 * HTTP and a local executor (inngest/local) on real Postgres:
 * diagnostic fails → retries → dead letter → fix → replay (new event id) → ok.
 * Also: filters and paging, discard, the tenant-chain audit events, the
 * Prometheus dead-letter counter, and a clear SERVICE_UNAVAILABLE when the
 * engine cannot be reached.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { functions } from "../inngest/functions";
import { runOf, startApp, startExecutor } from "../inngest/local/testing/harness";
import { createTenant, createUser, uid, type FactoryUser } from "../prisma/factories";
import { db } from "~/server/db/client";
import { inngest } from "~/server/events/client";
import { verifyAuditChain } from "~/server/services/audit/audit";
import { metricValue } from "./support/prometheus-text";
import { callerFor } from "./support/trpc";

let app: Awaited<ReturnType<typeof startApp>>;
let exec: Awaited<ReturnType<typeof startExecutor>>;
let admin: FactoryUser;

beforeAll(async () => {
  app = await startApp(inngest, functions);
  exec = await startExecutor({ db });
  await exec.executor.sync(app.url);
  inngest.setEnvVars({ INNGEST_DEV: exec.url });
  admin = await createUser({ isPlatformAdmin: true });
});
afterAll(async () => {
  await exec?.close();
  await app?.close();
});

const until = async <T>(fn: () => Promise<T | null | undefined>, timeoutMs = 20_000): Promise<T> => {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
};

const seedDeadLetter = (opts: { tenantId?: string | null; functionId?: string; pingId?: string } = {}) => {
  const pingId = opts.pingId ?? `seed-${uid()}`;
  return db.inngestDeadLetter.create({
    data: {
      functionId: opts.functionId ?? "ocsuite-system-heartbeat",
      runId: `seed-run-${uid()}`,
      eventId: `seed-evt-${uid()}`,
      eventName: "system/ping.requested",
      event: { name: "system/ping.requested", data: { pingId, ...(opts.tenantId ? { tenantId: opts.tenantId } : {}) }, ts: Date.now() },
      tenantId: opts.tenantId ?? null,
      errorName: "Error",
      errorMessage: "boom",
      error: { name: "Error", message: "boom", stack: "Error: boom\n    at somewhere" },
      attempts: 3,
    },
  });
};

const deadLettersMetric = (fn: string) => metricValue("ocsuite_job_dead_letters_total", { messaging_destination_name: fn });

describe("diagnostic job → dead letter → fix → replay", () => {
  it("dead-letters a failing diagnostic and replays it successfully under a new event id once fixed", async () => {
    const api = callerFor(admin);
    const before = await deadLettersMetric("ocsuite-system-heartbeat");

    const diag = await api.admin.runDiagnostic({ fail: true });
    expect(diag).toMatchObject({ failing: true });
    expect((await api.admin.diagnostics({})).map((d) => d.pingId)).toContain(diag.pingId);

    // retries: 2 → three attempts, then a dead letter
    const listed = await until(async () => (await api.admin.deadLetters({ functionId: "ocsuite-system-heartbeat", status: "open" })).items.find((d) => d.eventId === diag.eventId));
    const dl = await api.admin.deadLetter({ id: listed.id });
    expect(dl).toMatchObject({ status: "open", attempts: 3, error: { name: "DiagnosticFaultError" }, event: { name: "system/ping.requested", data: { pingId: diag.pingId } } });
    expect(dl.error.stack).toContain("DiagnosticFaultError");
    expect(await deadLettersMetric("ocsuite-system-heartbeat")).toBe(before + 1);

    expect(await api.admin.fixDiagnostic({ pingId: diag.pingId })).toMatchObject({ pingId: diag.pingId, failing: false });
    expect((await api.admin.diagnostics({})).map((d) => d.pingId)).not.toContain(diag.pingId);

    expect(await api.admin.replayDeadLetter({ id: dl.id })).toMatchObject({ id: dl.id, requested: true });
    const rerun = await runOf(db, `replay-${dl.id}`, "ocsuite-system-heartbeat", 20_000);
    expect(rerun.eventId).not.toBe(dl.eventId);
    expect(await exec.executor.waitForRun(rerun.id)).toMatchObject({ status: "COMPLETED", output: { pingId: diag.pingId, beats: 1 } });

    const after = await until(async () => {
      const d = await api.admin.deadLetter({ id: dl.id });
      return d.status === "replayed" ? d : null;
    });
    expect(after).toMatchObject({ replayedBy: admin.id });
    await expect(api.admin.replayDeadLetter({ id: dl.id })).rejects.toMatchObject({ code: "CONFLICT", cause: { reason: "deadLetterAlreadyReplayed" } });

    // The platform chain has every admin call; without a tenant, the replay event lands there too.
    const platform = await db.auditEvent.findMany({ where: { chain: "platform", actorId: admin.id }, select: { action: true, result: true } });
    expect(platform).toEqual(
      expect.arrayContaining([
        { action: "admin.runDiagnostic", result: "SUCCESS" },
        { action: "admin.fixDiagnostic", result: "SUCCESS" },
        { action: "admin.replayDeadLetter", result: "SUCCESS" },
        { action: "jobs.dead_letter.replayed", result: "SUCCESS" },
      ]),
    );
  });

  it("fixDiagnostic refuses an unknown ping", async () => {
    await expect(callerFor(admin).admin.fixDiagnostic({ pingId: "diag-nope" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("dead-letter admin", () => {
  it("lists newest first with filters, distinct filter values and a cursor", async () => {
    const api = callerFor(admin);
    const tenant = await createTenant();
    const fn = `fn-list-${uid()}`;
    const a = await seedDeadLetter({ functionId: fn, tenantId: tenant.id });
    const b = await seedDeadLetter({ functionId: fn });
    const c = await seedDeadLetter({ functionId: fn, tenantId: tenant.id });
    await db.inngestDeadLetter.update({ where: { id: b.id }, data: { discardedAt: new Date(), discardedBy: admin.id, discardReason: "x" } });

    const all = await api.admin.deadLetters({ functionId: fn });
    expect(all.items.map((d) => d.id)).toEqual([c.id, b.id, a.id]);
    expect(all.functionIds).toContain(fn);
    expect(all.tenantIds).toContain(tenant.id);
    expect((await api.admin.deadLetters({ functionId: fn, tenantId: tenant.id })).items.map((d) => d.id)).toEqual([c.id, a.id]);
    expect((await api.admin.deadLetters({ functionId: fn, status: "discarded" })).items.map((d) => d.id)).toEqual([b.id]);
    expect((await api.admin.deadLetters({ functionId: fn, status: "open" })).items.map((d) => d.id)).toEqual([c.id, a.id]);

    const page1 = await api.admin.deadLetters({ functionId: fn, take: 2 });
    expect(page1.items.map((d) => d.id)).toEqual([c.id, b.id]);
    const page2 = await api.admin.deadLetters({ functionId: fn, take: 2, cursor: page1.nextCursor! });
    expect(page2).toMatchObject({ items: [{ id: a.id }], nextCursor: null });
  });

  it("discards with a reason, audits it on the tenant chain, and then refuses a replay", async () => {
    const api = callerFor(admin);
    const tenant = await createTenant();
    const dl = await seedDeadLetter({ tenantId: tenant.id });
    expect(await api.admin.discardDeadLetter({ id: dl.id, reason: "superseded by a manual fix" })).toMatchObject({
      status: "discarded",
      discardedBy: admin.id,
      discardReason: "superseded by a manual fix",
    });
    const ev = await db.auditEvent.findFirstOrThrow({ where: { chain: tenant.id, action: "jobs.dead_letter.discarded" } });
    expect(ev).toMatchObject({ tenantId: tenant.id, actorId: admin.id, actorType: "PLATFORM_ADMIN", targetId: dl.id, metadata: { reason: "superseded by a manual fix" } });
    expect((await verifyAuditChain(tenant.id)).ok).toBe(true);
    await expect(api.admin.replayDeadLetter({ id: dl.id })).rejects.toMatchObject({ code: "CONFLICT", cause: { reason: "deadLetterDiscarded" } });
    await expect(api.admin.discardDeadLetter({ id: dl.id, reason: "again" })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("audits a replay on the tenant chain of the dead letter", async () => {
    const tenant = await createTenant();
    const dl = await seedDeadLetter({ tenantId: tenant.id });
    const res = await callerFor(admin).admin.replayDeadLetter({ id: dl.id });
    const ev = await db.auditEvent.findFirstOrThrow({ where: { chain: tenant.id, action: "jobs.dead_letter.replayed" } });
    expect(ev).toMatchObject({ actorId: admin.id, actorType: "PLATFORM_ADMIN", targetId: dl.id, metadata: { replayEventId: res.eventId } });
    const rerun = await runOf(db, `replay-${dl.id}`, "ocsuite-system-heartbeat", 20_000);
    expect((await exec.executor.waitForRun(rerun.id)).status).toBe("COMPLETED");
  });

  it("answers NOT_FOUND for an unknown dead letter", async () => {
    await expect(callerFor(admin).admin.deadLetter({ id: "missing" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("fails with SERVICE_UNAVAILABLE (jobsUnavailable) and changes nothing when the engine is unreachable", async () => {
    const api = callerFor(admin);
    const tenant = await createTenant();
    const dl = await seedDeadLetter({ tenantId: tenant.id });
    const heartbeats = await db.jobHeartbeat.count();
    inngest.setEnvVars({ INNGEST_DEV: "http://127.0.0.1:9" }); // nothing listens on the discard port
    try {
      await expect(api.admin.replayDeadLetter({ id: dl.id })).rejects.toMatchObject({ code: "SERVICE_UNAVAILABLE", cause: { reason: "jobsUnavailable" } });
      await expect(api.admin.runDiagnostic({ fail: true })).rejects.toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    } finally {
      inngest.setEnvVars({ INNGEST_DEV: exec.url });
    }
    expect(await db.inngestDeadLetter.findUniqueOrThrow({ where: { id: dl.id } })).toMatchObject({ replayedAt: null, discardedAt: null });
    expect(await db.jobHeartbeat.count()).toBe(heartbeats);
    expect(await db.auditEvent.count({ where: { chain: tenant.id } })).toBe(0);
    expect(await db.auditEvent.findFirst({ where: { chain: "platform", actorId: admin.id, action: "admin.replayDeadLetter", result: "FAILURE" } })).not.toBeNull();
  }, 60_000);
});
