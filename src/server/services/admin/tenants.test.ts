import { describe, expect, it } from "vitest";
import { createTenantWithMembers, createUser, TEST_META, uid } from "../../../../prisma/factories";
import { db } from "~/server/db/client";
import { verifyAuditChain } from "../audit/audit";
import { assertTenantActive } from "../tenancy/tenant-status";
import { resolveTenantContext } from "../tenancy/tenant-context";
import { getTenantDetail, reactivateTenant, suspendTenant } from "./tenants";

const adminActor = async () => ({ adminUserId: (await createUser({ isPlatformAdmin: true })).id, meta: TEST_META });

describe("getTenantDetail", () => {
  it("lists members with roles and counts documents, storage, conversations and the last 30 days of LLM calls", async () => {
    const f = await createTenantWithMembers();
    const t = f.tenant.id;
    for (const [i, size] of [1000, 2345].entries()) {
      await db.document.create({
        data: { tenantId: t, title: `Doc ${i}`, filename: `d${i}.md`, kind: "markdown", mimeType: "text/markdown", sizeBytes: size, sha256: uid(32), storageKey: `k/${uid()}` },
      });
    }
    await db.conversation.create({ data: { tenantId: t, userId: f.member.id, personaKey: "cfo", title: "Q" } });
    const call = { tenantId: t, provider: "offline", model: "m", operation: "chat", durationMs: 5, status: "ok" };
    await db.llmCall.createMany({
      data: [
        { ...call, inputTokens: 100, outputTokens: 20 },
        { ...call, inputTokens: 7, outputTokens: null },
        // 40 days ago: outside the window.
        { ...call, inputTokens: 9999, outputTokens: 9999, createdAt: new Date(Date.now() - 40 * 86_400_000) },
      ],
    });

    const d = await getTenantDetail(t);
    expect(d).toMatchObject({ id: t, slug: f.tenant.slug, status: "ACTIVE", plan: "trial", lastStatusChange: null });
    expect(d.members.map((m) => [m.email, m.role])).toEqual([
      [f.owner.email, "OWNER"],
      [f.admin.email, "ADMIN"],
      [f.member.email, "MEMBER"],
      [f.viewer.email, "VIEWER"],
    ]);
    expect(d.usage).toEqual({ documents: 2, storageBytes: 3345, conversations: 1, llmCalls30d: 2, inputTokens30d: 107, outputTokens30d: 20 });
  });

  it("an unknown tenant is NOT_FOUND", async () => {
    await expect(getTenantDetail("no-such-tenant")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("suspendTenant / reactivateTenant", () => {
  it("suspends: members are refused, jobs are refused, and the tenant's own chain records who and why", async () => {
    const f = await createTenantWithMembers();
    const actor = await adminActor();
    await expect(suspendTenant({ tenantId: f.tenant.id, reason: "Unpaid invoices" }, actor)).resolves.toEqual({ id: f.tenant.id, status: "SUSPENDED", changed: true });

    await expect(resolveTenantContext({ userId: f.owner.id, isPlatformAdmin: false, meta: TEST_META }, f.tenant.slug, "VIEWER")).rejects.toMatchObject({
      code: "FORBIDDEN",
      reason: "tenantSuspended",
    });
    await expect(assertTenantActive(f.tenant.id)).rejects.toMatchObject({ reason: "tenantSuspended" });

    const ev = await db.auditEvent.findFirstOrThrow({ where: { chain: f.tenant.id, action: "tenant.suspended" } });
    expect(ev).toMatchObject({ tenantId: f.tenant.id, actorId: actor.adminUserId, actorType: "PLATFORM_ADMIN", targetId: f.tenant.id, metadata: { reason: "Unpaid invoices" } });
    expect((await verifyAuditChain(f.tenant.id)).ok).toBe(true);
    expect((await getTenantDetail(f.tenant.id)).lastStatusChange).toMatchObject({ action: "tenant.suspended", reason: "Unpaid invoices" });
  });

  it("is idempotent: a second suspension changes and records nothing", async () => {
    const f = await createTenantWithMembers();
    const actor = await adminActor();
    await suspendTenant({ tenantId: f.tenant.id, reason: "Abuse report" }, actor);
    await expect(suspendTenant({ tenantId: f.tenant.id, reason: "Again" }, actor)).resolves.toMatchObject({ changed: false, status: "SUSPENDED" });
    expect(await db.auditEvent.count({ where: { chain: f.tenant.id, action: "tenant.suspended" } })).toBe(1);
  });

  it("reactivates: members get back in and jobs may run", async () => {
    const f = await createTenantWithMembers();
    const actor = await adminActor();
    await suspendTenant({ tenantId: f.tenant.id, reason: "Investigating" }, actor);
    await expect(reactivateTenant({ tenantId: f.tenant.id, reason: "Resolved" }, actor)).resolves.toEqual({ id: f.tenant.id, status: "ACTIVE", changed: true });
    await expect(resolveTenantContext({ userId: f.member.id, isPlatformAdmin: false, meta: TEST_META }, f.tenant.slug, "VIEWER")).resolves.toMatchObject({ role: "MEMBER" });
    await expect(assertTenantActive(f.tenant.id)).resolves.toBeUndefined();
    const events = await db.auditEvent.findMany({ where: { chain: f.tenant.id }, orderBy: { seq: "asc" }, select: { action: true, metadata: true } });
    expect(events).toEqual([
      { action: "tenant.suspended", metadata: { reason: "Investigating" } },
      { action: "tenant.reactivated", metadata: { reason: "Resolved" } },
    ]);
  });

  it("an unknown tenant is NOT_FOUND", async () => {
    await expect(suspendTenant({ tenantId: "nope", reason: "x y z" }, await adminActor())).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
