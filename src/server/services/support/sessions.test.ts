import { describe, expect, it } from "vitest";
import { createTenantWithMembers, createUser, tenantCtxOf, TEST_META, uid } from "../../../../prisma/factories";
import { callerFor } from "../../../../tests/support/trpc";
import { db } from "~/server/db/client";
import { verifyAuditChain } from "~/server/services/audit/audit";
import { dismissSupportNotice, listSupportNotices } from "./notices";
import { endSupportSession, listSupportSessions, openSupportSession, supportReadContext } from "./sessions";

const REASON = "Customer ticket #4711: chat answers look truncated";

/** A tenant with content in every area support can read, and a platform admin. */
const setup = async () => {
  const t = await createTenantWithMembers();
  const other = await createTenantWithMembers();
  const admin = await createUser({ isPlatformAdmin: true, name: "Sam Support" });
  const conversation = await db.conversation.create({
    data: {
      tenantId: t.tenant.id,
      userId: t.member.id,
      personaKey: "cfo",
      title: "Cash flow",
      messages: { create: [{ tenantId: t.tenant.id, role: "user", content: "How is our runway?" }, { tenantId: t.tenant.id, role: "assistant", content: "About 14 months." }] },
    },
  });
  const otherConversation = await db.conversation.create({ data: { tenantId: other.tenant.id, userId: other.member.id, personaKey: "cfo", title: "Other tenant secret" } });
  const document = await db.document.create({
    data: { tenantId: t.tenant.id, title: "Plan", filename: "plan.md", kind: "markdown", mimeType: "text/markdown", sizeBytes: 10, sha256: uid(32), storageKey: `tenants/${t.tenant.id}/documents/x/original` },
  });
  const meeting = await db.meeting.create({ data: { tenantId: t.tenant.id, title: "Q3 board", goal: "Decide budget", agenda: ["Budget"], personaKeys: ["cfo"], chairKey: "ceo", rounds: 1 } });
  const task = await db.task.create({ data: { tenantId: t.tenant.id, personaKey: "cfo", title: "Forecast", description: "Make a forecast" } });
  return { ...t, other, admin, conversationId: conversation.id, otherConversationId: otherConversation.id, documentId: document.id, meetingId: meeting.id, taskId: task.id };
};

const errorOf = async (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as { code?: string; cause?: { reason?: string }; shape?: { data?: { reason?: string } } },
  );
const reasonOf = (e: { cause?: { reason?: string } } | null) => e?.cause?.reason;

describe("support sessions: opening", () => {
  it("opens a session with a server-side expiry, audits both chains and notifies the owners", async () => {
    const fx = await setup();
    const before = Date.now();
    const s = await callerFor(fx.admin).support.open({ tenantId: fx.tenant.id, reason: REASON, durationMinutes: 30 });
    expect(s).toMatchObject({ tenantId: fx.tenant.id, adminId: fx.admin.id, reason: REASON, status: "active", endedAt: null, tenantSlug: fx.tenant.slug });
    const minutes = (s.expiresAt.getTime() - s.startedAt.getTime()) / 60_000;
    expect(minutes).toBeCloseTo(30, 5);
    expect(Math.abs(s.startedAt.getTime() - before)).toBeLessThan(60_000);

    const tenantEvent = await db.auditEvent.findFirstOrThrow({ where: { chain: fx.tenant.id, action: "support_session.opened" } });
    expect(tenantEvent).toMatchObject({ actorId: fx.admin.id, actorType: "PLATFORM_ADMIN", targetType: "SupportSession", targetId: s.id, tenantId: fx.tenant.id });
    expect(tenantEvent.metadata).toMatchObject({ sessionId: s.id, reason: REASON, adminEmail: fx.admin.email, expiresAt: s.expiresAt.toISOString(), durationMinutes: 30 });
    const platformEvent = await db.auditEvent.findFirstOrThrow({ where: { chain: "platform", action: "support_session.opened", targetId: s.id } });
    expect(platformEvent.metadata).toMatchObject({ tenantId: fx.tenant.id, reason: REASON, adminEmail: fx.admin.email });
    // platformAdminProcedure's own record of the call, with its input.
    expect(await db.auditEvent.count({ where: { chain: "platform", action: "admin.support.open", actorId: fx.admin.id, result: "SUCCESS" } })).toBe(1);
    expect((await verifyAuditChain(fx.tenant.id)).ok).toBe(true);

    const notices = await listSupportNotices(tenantCtxOf(fx.tenant, fx.owner, "OWNER"));
    expect(notices).toEqual([expect.objectContaining({ sessionId: s.id, reason: REASON, expiresAt: s.expiresAt })]);
    // The other tenant hears nothing.
    expect(await listSupportNotices(tenantCtxOf(fx.other.tenant, fx.other.owner, "OWNER"))).toEqual([]);
  });

  it("validates reason (10..500 chars) and duration (5..120 minutes)", async () => {
    const fx = await setup();
    const api = callerFor(fx.admin);
    for (const input of [
      { tenantId: fx.tenant.id, reason: "too short", durationMinutes: 30 },
      { tenantId: fx.tenant.id, reason: "x".repeat(501), durationMinutes: 30 },
      { tenantId: fx.tenant.id, reason: REASON, durationMinutes: 4 },
      { tenantId: fx.tenant.id, reason: REASON, durationMinutes: 121 },
      { tenantId: fx.tenant.id, reason: REASON, durationMinutes: 30.5 },
    ]) {
      expect((await errorOf(api.support.open(input)))?.code).toBe("BAD_REQUEST");
    }
    expect(await db.supportSession.count({ where: { tenantId: fx.tenant.id } })).toBe(0);
    expect((await errorOf(api.support.open({ tenantId: "no-such-tenant", reason: REASON, durationMinutes: 30 })))?.code).toBe("NOT_FOUND");
  });

  it("allows one live session per admin and tenant; ending it allows a new one", async () => {
    const fx = await setup();
    const api = callerFor(fx.admin);
    const first = await api.support.open({ tenantId: fx.tenant.id, reason: REASON, durationMinutes: 10 });
    const again = await errorOf(api.support.open({ tenantId: fx.tenant.id, reason: REASON, durationMinutes: 10 }));
    expect(again?.code).toBe("CONFLICT");
    expect(reasonOf(again)).toBe("supportSessionAlreadyActive");

    const ended = await api.support.end({ id: first.id });
    expect(ended.status).toBe("ended");
    expect(ended.endedAt).toBeInstanceOf(Date);
    expect(await db.auditEvent.count({ where: { chain: fx.tenant.id, action: "support_session.ended", targetId: first.id } })).toBe(1);
    expect(await db.auditEvent.count({ where: { chain: "platform", action: "support_session.ended", targetId: first.id } })).toBe(1);
    expect(reasonOf(await errorOf(api.support.end({ id: first.id })))).toBe("supportSessionNotActive");

    const second = await api.support.open({ tenantId: fx.tenant.id, reason: `${REASON} (follow-up)`, durationMinutes: 10 });
    const list = await api.support.list({});
    expect(list.items.map((s) => [s.id, s.status])).toEqual([
      [second.id, "active"],
      [first.id, "ended"],
    ]);
    expect((await api.support.list({ status: "active" })).items.map((s) => s.id)).toEqual([second.id]);
  });

  it("an admin cannot end or list another admin's session", async () => {
    const fx = await setup();
    const s = await openSupportSession({ userId: fx.admin.id, meta: TEST_META }, { tenantId: fx.tenant.id, reason: REASON, durationMinutes: 10 });
    const otherAdmin = await createUser({ isPlatformAdmin: true });
    expect((await errorOf(callerFor(otherAdmin).support.end({ id: s.id })))?.code).toBe("NOT_FOUND");
    expect((await listSupportSessions({ userId: otherAdmin.id, meta: TEST_META })).items).toEqual([]);
    await expect(endSupportSession({ userId: fx.admin.id, meta: TEST_META }, { id: s.id })).resolves.toMatchObject({ status: "ended" });
  });
});

describe("support sessions: reads", () => {
  it("without a session every read is FORBIDDEN supportSessionRequired and nothing is audited as read", async () => {
    const fx = await setup();
    const api = callerFor(fx.admin);
    for (const call of [
      () => api.support.conversations({ tenantId: fx.tenant.id }),
      () => api.support.conversation({ tenantId: fx.tenant.id, conversationId: fx.conversationId }),
      () => api.support.documents({ tenantId: fx.tenant.id }),
      () => api.support.meetings({ tenantId: fx.tenant.id }),
      () => api.support.tasks({ tenantId: fx.tenant.id }),
    ]) {
      const err = await errorOf(call());
      expect(err?.code).toBe("FORBIDDEN");
      expect(reasonOf(err)).toBe("supportSessionRequired");
    }
    expect(await db.auditEvent.count({ where: { chain: fx.tenant.id, action: "support_session.read" } })).toBe(0);
    // Without a session the admin is still an outsider to the tenant's own procedures.
    expect((await errorOf(api.chat.list({ tenantSlug: fx.tenant.slug })))?.code).toBe("NOT_FOUND");
  });

  it("inside a session each read returns the tenant's data and is audited with the session id, what and ids", async () => {
    const fx = await setup();
    const api = callerFor(fx.admin);
    const s = await api.support.open({ tenantId: fx.tenant.id, reason: REASON, durationMinutes: 15 });

    const conversations = await api.support.conversations({ tenantId: fx.tenant.id });
    expect(conversations.map((c) => c.id)).toEqual([fx.conversationId]);
    expect(conversations[0]).toMatchObject({ title: "Cash flow", authorEmail: fx.member.email, messageCount: 2 });
    const conversation = await api.support.conversation({ tenantId: fx.tenant.id, conversationId: fx.conversationId });
    expect(conversation.messages.map((m) => m.content)).toEqual(["How is our runway?", "About 14 months."]);
    expect((await api.support.documents({ tenantId: fx.tenant.id })).map((d) => d.id)).toEqual([fx.documentId]);
    expect((await api.support.meetings({ tenantId: fx.tenant.id })).map((m) => m.id)).toEqual([fx.meetingId]);
    expect((await api.support.tasks({ tenantId: fx.tenant.id })).map((x) => x.id)).toEqual([fx.taskId]);

    const reads = await db.auditEvent.findMany({ where: { chain: fx.tenant.id, action: "support_session.read" }, orderBy: { seq: "asc" } });
    expect(reads.map((r) => r.metadata)).toEqual([
      { sessionId: s.id, what: "conversations", ids: [fx.conversationId], reason: REASON },
      { sessionId: s.id, what: "conversation", ids: [fx.conversationId], reason: REASON },
      { sessionId: s.id, what: "documents", ids: [fx.documentId], reason: REASON },
      { sessionId: s.id, what: "meetings", ids: [fx.meetingId], reason: REASON },
      { sessionId: s.id, what: "tasks", ids: [fx.taskId], reason: REASON },
    ]);
    for (const r of reads) expect(r).toMatchObject({ actorId: fx.admin.id, actorType: "PLATFORM_ADMIN", targetId: s.id, tenantId: fx.tenant.id });
    expect((await verifyAuditChain(fx.tenant.id)).ok).toBe(true);
  });

  it("a session for one tenant reads nothing of another", async () => {
    const fx = await setup();
    const api = callerFor(fx.admin);
    await api.support.open({ tenantId: fx.tenant.id, reason: REASON, durationMinutes: 15 });
    // Another tenant's conversation through this tenant's session: not there.
    expect((await errorOf(api.support.conversation({ tenantId: fx.tenant.id, conversationId: fx.otherConversationId })))?.code).toBe("NOT_FOUND");
    // The other tenant itself: no session.
    expect(reasonOf(await errorOf(api.support.conversations({ tenantId: fx.other.tenant.id })))).toBe("supportSessionRequired");
    // Another platform admin does not ride on this admin's session.
    const colleague = await createUser({ isPlatformAdmin: true });
    expect(reasonOf(await errorOf(callerFor(colleague).support.documents({ tenantId: fx.tenant.id })))).toBe("supportSessionRequired");
    expect(await db.auditEvent.count({ where: { chain: fx.other.tenant.id, action: "support_session.read" } })).toBe(0);
  });

  it("a session whose expiresAt is in the past is refused: supportSessionExpired", async () => {
    const fx = await setup();
    const s = await openSupportSession({ userId: fx.admin.id, meta: TEST_META }, { tenantId: fx.tenant.id, reason: REASON, durationMinutes: 60 });
    await db.supportSession.update({ where: { id: s.id }, data: { expiresAt: new Date(Date.now() - 60_000) } });
    const err = await errorOf(callerFor(fx.admin).support.conversations({ tenantId: fx.tenant.id }));
    expect(err?.code).toBe("FORBIDDEN");
    expect(reasonOf(err)).toBe("supportSessionExpired");
    expect((await listSupportSessions({ userId: fx.admin.id, meta: TEST_META })).items[0]?.status).toBe("expired");
    // And an expired session can no longer be ended, nor blocks a new one.
    expect(reasonOf(await errorOf(callerFor(fx.admin).support.end({ id: s.id })))).toBe("supportSessionNotActive");
    await expect(callerFor(fx.admin).support.open({ tenantId: fx.tenant.id, reason: REASON, durationMinutes: 5 })).resolves.toMatchObject({ status: "active" });
  });

  it("a session that expires while in use stops working by itself (server clock, no client input)", async () => {
    const fx = await setup();
    const api = callerFor(fx.admin);
    const s = await api.support.open({ tenantId: fx.tenant.id, reason: REASON, durationMinutes: 5 });
    await db.supportSession.update({ where: { id: s.id }, data: { expiresAt: new Date(Date.now() + 1_000) } });
    await expect(api.support.tasks({ tenantId: fx.tenant.id })).resolves.toHaveLength(1);
    await new Promise((r) => setTimeout(r, 1_500));
    const err = await errorOf(api.support.tasks({ tenantId: fx.tenant.id }));
    expect(err?.code).toBe("FORBIDDEN");
    expect(reasonOf(err)).toBe("supportSessionExpired");
    expect(await db.auditEvent.count({ where: { chain: fx.tenant.id, action: "support_session.read" } })).toBe(1);
  });

  it("an ended session is refused as supportSessionRequired", async () => {
    const fx = await setup();
    const api = callerFor(fx.admin);
    const s = await api.support.open({ tenantId: fx.tenant.id, reason: REASON, durationMinutes: 15 });
    await api.support.end({ id: s.id });
    await expect(supportReadContext(fx.admin.id, fx.tenant.id)).rejects.toMatchObject({ code: "FORBIDDEN", reason: "supportSessionRequired" });
  });
});

describe("support notices", () => {
  it("owners dismiss a notice once; other tenants cannot touch it", async () => {
    const fx = await setup();
    await openSupportSession({ userId: fx.admin.id, meta: TEST_META }, { tenantId: fx.tenant.id, reason: REASON, durationMinutes: 10 });
    const ownerCtx = tenantCtxOf(fx.tenant, fx.owner, "OWNER");
    const [notice] = await listSupportNotices(ownerCtx);
    expect(notice).toBeDefined();
    await expect(dismissSupportNotice(tenantCtxOf(fx.other.tenant, fx.other.owner, "OWNER"), { id: notice!.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await callerFor(fx.owner).support.notices({ tenantSlug: fx.tenant.slug })).map((n) => n.id)).toEqual([notice!.id]);
    await callerFor(fx.owner).support.dismissNotice({ tenantSlug: fx.tenant.slug, id: notice!.id });
    expect(await listSupportNotices(ownerCtx)).toEqual([]);
    expect((await db.tenantNotice.findUniqueOrThrow({ where: { id: notice!.id } })).readAt).toBeInstanceOf(Date);
    await expect(dismissSupportNotice(ownerCtx, { id: notice!.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
