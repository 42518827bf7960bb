/**
 * The admin panel through the real tRPC router and the real ingestion job:
 * suspension is audited on both chains and locks the tenant's members out and
 * its jobs off; disabling a user ends their live sessions (a real Auth.js
 * cookie stops working) and keeps them from signing in again.
 */
import { rmSync } from "node:fs";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Before any app module reads env: originals go to a throwaway folder.
const storageRoot = vi.hoisted(() => {
  const dir = `${process.env.TMPDIR ?? "/tmp"}/ocsuite-admin-panel-${process.pid}-${Date.now()}`;
  process.env.STORAGE_FS_ROOT = dir;
  return dir;
});

import { runOf, startApp, startExecutor } from "../inngest/local/testing/harness";
import { ingestDocument } from "../inngest/jobs/ingest-document";
import { createSession, createTenantWithMembers, createUser, type FactoryUser } from "../prisma/factories";
import { seedDocument } from "./fixtures/knowledge/seed";
import { callerFor } from "./support/trpc";
import { authConfig } from "~/server/auth/config";
import { db } from "~/server/db/client";
import { inngest } from "~/server/events/client";
import { sessionUserOf } from "~/server/http/session-user";
import { objectStorage } from "~/server/infra/storage";

let app: Awaited<ReturnType<typeof startApp>>;
let exec: Awaited<ReturnType<typeof startExecutor>>;
beforeAll(async () => {
  app = await startApp(inngest, [ingestDocument]);
  exec = await startExecutor({ db });
  await exec.executor.sync(app.url);
  inngest.setEnvVars({ INNGEST_DEV: exec.url });
});
afterAll(async () => {
  await exec?.close();
  await app?.close();
  rmSync(storageRoot, { recursive: true, force: true });
});

const until = async <T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> => {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 25));
  }
};

/** The session cookie Auth.js would have set at sign-in. */
const cookieFor = async (user: FactoryUser) => {
  const { sessionToken } = await createSession(user.id);
  const jwt = await encode({ token: { sub: user.id, sid: sessionToken, email: user.email }, secret: process.env.AUTH_SECRET!, salt: "authjs.session-token" });
  return `authjs.session-token=${jwt}`;
};
const requestWith = (cookie: string) => new Request("http://localhost:3000/api/anything", { headers: { cookie, "x-forwarded-host": "localhost:3000", "x-forwarded-proto": "http" } });

describe("suspending a tenant", () => {
  it("is audited on the platform chain and the tenant's chain, locks members out, and reactivation lets them back", async () => {
    const f = await createTenantWithMembers();
    const staff = await createUser({ isPlatformAdmin: true });
    const admin = callerFor(staff);

    await expect(admin.admin.suspendTenant({ tenantId: f.tenant.id, reason: "Chargeback investigation" })).resolves.toEqual({
      id: f.tenant.id,
      status: "SUSPENDED",
      changed: true,
    });
    const platformEv = await db.auditEvent.findFirstOrThrow({ where: { chain: "platform", actorId: staff.id, action: "admin.suspendTenant" } });
    expect(platformEv).toMatchObject({ result: "SUCCESS", actorType: "PLATFORM_ADMIN", metadata: { type: "mutation", input: { tenantId: f.tenant.id, reason: "Chargeback investigation" } } });
    const tenantEv = await db.auditEvent.findFirstOrThrow({ where: { chain: f.tenant.id, action: "tenant.suspended" } });
    expect(tenantEv).toMatchObject({ tenantId: f.tenant.id, actorId: staff.id, actorType: "PLATFORM_ADMIN", metadata: { reason: "Chargeback investigation" } });

    for (const member of [f.owner, f.viewer]) {
      await expect(callerFor(member).tenant.get({ tenantSlug: f.tenant.slug })).rejects.toMatchObject({ code: "FORBIDDEN", cause: { reason: "tenantSuspended" } });
    }
    // The detail page shows the suspension with its reason.
    await expect(admin.admin.tenant({ tenantId: f.tenant.id })).resolves.toMatchObject({ status: "SUSPENDED", lastStatusChange: { action: "tenant.suspended", reason: "Chargeback investigation" } });

    await admin.admin.reactivateTenant({ tenantId: f.tenant.id });
    await expect(callerFor(f.owner).tenant.get({ tenantSlug: f.tenant.slug })).resolves.toMatchObject({ slug: f.tenant.slug });
    expect(await db.auditEvent.count({ where: { chain: f.tenant.id, action: "tenant.reactivated", actorId: staff.id } })).toBe(1);
  });

  it("a suspension needs a reason", async () => {
    const f = await createTenantWithMembers();
    const admin = callerFor(await createUser({ isPlatformAdmin: true }));
    await expect(admin.admin.suspendTenant({ tenantId: f.tenant.id, reason: "  " })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect((await db.tenant.findUniqueOrThrow({ where: { id: f.tenant.id } })).status).toBe("ACTIVE");
  });

  it("stops the tenant's ingestion job: the run fails without retries and the document is failed with tenantSuspended", async () => {
    const f = await createTenantWithMembers();
    const doc = await seedDocument(db, objectStorage(), f.tenant.id, { title: "Plan", filename: "plan.md", bytes: new TextEncoder().encode("# Plan\n\nShip the thing.\n") });
    await callerFor(await createUser({ isPlatformAdmin: true })).admin.suspendTenant({ tenantId: f.tenant.id, reason: "Suspended before ingestion" });

    const { ids } = await inngest.send({ name: "knowledge/document.ingest", data: { tenantId: doc.tenantId, documentId: doc.id, indexVersion: doc.indexVersion } });
    const run = await runOf(db, ids[0]!, "ocsuite-knowledge-ingest-document");
    expect(await exec.executor.waitForRun(run.id)).toMatchObject({ status: "FAILED", attempts: 1 });
    const failed = await until(async () => {
      const d = await db.document.findUniqueOrThrow({ where: { id: doc.id } });
      return d.status === "failed" ? d : null;
    });
    expect(failed).toMatchObject({ errorReason: "tenantSuspended", chunkCount: 0 });
    expect(await db.documentChunk.count({ where: { documentId: doc.id } })).toBe(0);
  });

  it("an active tenant's ingestion still runs", async () => {
    const f = await createTenantWithMembers();
    const doc = await seedDocument(db, objectStorage(), f.tenant.id, { title: "Notes", filename: "notes.md", bytes: new TextEncoder().encode("# Notes\n\nAll good here.\n") });
    const { ids } = await inngest.send({ name: "knowledge/document.ingest", data: { tenantId: doc.tenantId, documentId: doc.id, indexVersion: doc.indexVersion } });
    const run = await runOf(db, ids[0]!, "ocsuite-knowledge-ingest-document");
    expect(await exec.executor.waitForRun(run.id)).toMatchObject({ status: "COMPLETED" });
    expect(await db.document.findUniqueOrThrow({ where: { id: doc.id } })).toMatchObject({ status: "ready" });
  });
});

describe("disabling a user", () => {
  it("ends their live sessions: a cookie that worked stops working, and sign-in is refused until enabled", async () => {
    const user = await createUser();
    const staff = await createUser({ isPlatformAdmin: true });
    const cookie = await cookieFor(user);
    await cookieFor(user);
    expect(await sessionUserOf(requestWith(cookie))).toMatchObject({ id: user.id });

    await expect(callerFor(staff).admin.disableUser({ userId: user.id, reason: "Leaked credentials" })).resolves.toMatchObject({ id: user.id, sessionsEnded: 2 });
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
    expect(await sessionUserOf(requestWith(cookie))).toBeNull();
    // Every provider's sign-in goes through this callback (magic link and SSO included).
    expect(await authConfig.callbacks.signIn({ user: { id: user.id, email: user.email } } as never)).toBe(false);
    await expect(callerFor(staff).admin.user({ userId: user.id })).resolves.toMatchObject({ activeSessions: 0, disabledAt: expect.any(Date) });

    await callerFor(staff).admin.enableUser({ userId: user.id });
    expect(await authConfig.callbacks.signIn({ user: { id: user.id, email: user.email } } as never)).toBe(true);
    expect(await sessionUserOf(requestWith(await cookieFor(user)))).toMatchObject({ id: user.id });
  });

  it("revoking sessions ends them without disabling the account", async () => {
    const user = await createUser();
    const cookie = await cookieFor(user);
    expect(await sessionUserOf(requestWith(cookie))).toMatchObject({ id: user.id });
    await expect(callerFor(await createUser({ isPlatformAdmin: true })).admin.revokeUserSessions({ userId: user.id })).resolves.toEqual({ id: user.id, sessionsEnded: 1 });
    expect(await sessionUserOf(requestWith(cookie))).toBeNull();
    expect(await authConfig.callbacks.signIn({ user: { id: user.id, email: user.email } } as never)).toBe(true);
  });
});
