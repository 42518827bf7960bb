import { describe, expect, it } from "vitest";
import { addMember, createTenant, createTenantWithMembers, createUser, tenantCtxOf, uid } from "../../../../prisma/factories";
import { callerFor } from "../../../../tests/support/trpc";
import { db } from "~/server/db/client";
import { verifyAuditChain } from "../audit/audit";
import { updateTenantPersona } from "../personas/tenant-personas";
import { updateTenantProfile } from "../tenancy/tenants";
import { getOnboardingChecklist } from "./checklist";

// The onboarding checklist against real Postgres: every step flips from the
// workspace's own data (never from the list), owners and admins see the
// set-up steps, members their work, viewers nothing; only owners and admins
// hide and restore it (audited); another workspace's data never counts.

/** A workspace with its owner alone (a second member would already be "a teammate invited"). */
const soloWorkspace = async () => {
  const tenant = await createTenant();
  const owner = await createUser({ email: `onb-owner-${uid()}@example.test` });
  await addMember(tenant.id, owner.id, "OWNER");
  return { tenant, owner, ctx: tenantCtxOf(tenant, owner, "OWNER") };
};

const doneKeys = async (ctx: Parameters<typeof getOnboardingChecklist>[0]) =>
  (await getOnboardingChecklist(ctx)).steps.filter((s) => s.done).map((s) => s.key);

/** The rows a member's work leaves behind, as the real flows write them. */
const seed = {
  document: (tenantId: string, status: string) =>
    db.document.create({
      data: { tenantId, title: "Plan", filename: "plan.md", kind: "markdown", mimeType: "text/markdown", sizeBytes: 10, sha256: uid(16), storageKey: `k-${uid()}`, status },
    }),
  answer: async (tenantId: string, userId: string, status: string) =>
    db.conversation.create({
      data: { tenantId, userId, personaKey: "cfo", title: "Q", messages: { create: [{ tenantId, role: "user", content: "Hi" }, { tenantId, role: "assistant", content: "Hello", status }] } },
    }),
  meeting: (tenantId: string, status: string) =>
    db.meeting.create({ data: { tenantId, title: "Board", goal: "Goal", agenda: ["Item"], personaKeys: ["ceo", "cfo"], chairKey: "ceo", rounds: 1, status } }),
};

describe("onboarding checklist", () => {
  it("starts at 0 of 8 for an owner of a new workspace, and each step flips from its real data", async () => {
    const { tenant, owner, ctx } = await soloWorkspace();
    const start = await getOnboardingChecklist(ctx);
    expect(start).toMatchObject({ doneCount: 0, total: 8, complete: false, dismissed: false, canManage: true });
    expect(start.steps.map((s) => s.key)).toEqual(["profile", "personas", "provider", "document", "chat", "meeting", "actionTask", "invite"]);

    await updateTenantProfile(ctx, { industry: "Robotics" });
    expect(await doneKeys(ctx)).toEqual(["profile"]);

    // A customised persona counts as reviewed; so does an admin's confirmation (below, in a second workspace).
    await updateTenantPersona(ctx, { key: "cfo", name: "Chief Money Officer" });
    expect(await doneKeys(ctx)).toContain("personas");

    // A document counts once it is ready, not while queued; an answer once complete, not while streaming or failed.
    const doc = await seed.document(tenant.id, "processing");
    await seed.answer(tenant.id, owner.id, "failed");
    const queuedMeeting = await seed.meeting(tenant.id, "running");
    expect(await doneKeys(ctx)).toEqual(["profile", "personas"]);
    await db.document.update({ where: { id: doc.id }, data: { status: "ready" } });
    await seed.answer(tenant.id, owner.id, "complete");
    await db.meeting.update({ where: { id: queuedMeeting.id }, data: { status: "completed" } });
    expect(await doneKeys(ctx)).toEqual(["profile", "personas", "document", "chat", "meeting"]);

    // An action item turned into a task: the task names its source; a task made by hand does not count.
    const item = await db.actionItem.create({ data: { meetingId: queuedMeeting.id, tenantId: tenant.id, itemIndex: 0, ownerPersonaKey: "cfo", description: "Cut costs" } });
    await db.task.create({ data: { tenantId: tenant.id, createdById: owner.id, personaKey: "cfo", title: "By hand", description: "x" } });
    expect(await doneKeys(ctx)).not.toContain("actionTask");
    const task = await db.task.create({ data: { tenantId: tenant.id, createdById: owner.id, personaKey: "cfo", title: "Cut costs", description: "x", sourceActionItemId: item.id } });
    await db.actionItem.update({ where: { id: item.id }, data: { taskId: task.id } });
    expect(await doneKeys(ctx)).toContain("actionTask");

    // A teammate invited: a pending invitation is enough.
    await db.invitation.create({ data: { tenantId: tenant.id, email: `invitee-${uid()}@example.test`, role: "MEMBER", tokenHash: uid(32), invitedById: owner.id, expiresAt: new Date(Date.now() + 86_400_000) } });
    await db.providerCredential.create({
      data: { tenantId: tenant.id, provider: "openai", label: "Main", secretCiphertext: "ocs1.1.x", keyVersion: 1, last4: "abcd", createdById: owner.id },
    });
    expect(await getOnboardingChecklist(ctx)).toMatchObject({ doneCount: 8, total: 8, complete: true });
  });

  it("owners and admins see the set-up steps, members their work, viewers none", async () => {
    const f = await createTenantWithMembers();
    const keysFor = async (user: { id: string }, role: "OWNER" | "ADMIN" | "MEMBER" | "VIEWER") =>
      (await getOnboardingChecklist(tenantCtxOf(f.tenant, user, role))).steps.map((s) => s.key);
    expect(await keysFor(f.admin, "ADMIN")).toHaveLength(8);
    expect(await keysFor(f.member, "MEMBER")).toEqual(["document", "chat", "meeting", "actionTask"]);
    expect(await keysFor(f.viewer, "VIEWER")).toEqual([]);
    // Four members already: "a teammate invited" is done for the admins, and a member never sees it.
    const admin = await getOnboardingChecklist(tenantCtxOf(f.tenant, f.admin, "ADMIN"));
    expect(admin.steps.find((s) => s.key === "invite")?.done).toBe(true);
    const member = await getOnboardingChecklist(tenantCtxOf(f.tenant, f.member, "MEMBER"));
    expect(member).toMatchObject({ doneCount: 0, total: 4, canManage: false });
    const viewer = await getOnboardingChecklist(tenantCtxOf(f.tenant, f.viewer, "VIEWER"));
    expect(viewer).toMatchObject({ total: 0, complete: false, canManage: false });
  });

  it("the personas and provider steps are done by an admin's confirmation, recorded once and audited", async () => {
    const f = await createTenantWithMembers();
    const ctx = tenantCtxOf(f.tenant, f.admin, "ADMIN");
    const admin = callerFor(f.admin);
    const slug = { tenantSlug: f.tenant.slug };
    expect(await doneKeys(ctx)).toEqual(["invite"]);
    await expect(callerFor(f.member).onboarding.confirmPersonas(slug)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(callerFor(f.member).onboarding.keepOfflineModel(slug)).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await admin.onboarding.confirmPersonas(slug)).toEqual({ changed: true });
    expect(await admin.onboarding.keepOfflineModel(slug)).toEqual({ changed: true });
    expect(await admin.onboarding.keepOfflineModel(slug)).toEqual({ changed: false });
    expect(await doneKeys(ctx)).toEqual(["personas", "provider", "invite"]);
    const events = await db.auditEvent.findMany({ where: { chain: f.tenant.id, action: { in: ["tenant.personas_reviewed", "tenant.offline_model_kept"] } }, orderBy: { seq: "asc" } });
    expect(events.map((e) => [e.action, e.actorId])).toEqual([
      ["tenant.personas_reviewed", f.admin.id],
      ["tenant.offline_model_kept", f.admin.id],
    ]);
  });

  it("only owners and admins dismiss and restore it, for the whole workspace, audited", async () => {
    const f = await createTenantWithMembers();
    const slug = { tenantSlug: f.tenant.slug };
    for (const user of [f.member, f.viewer]) {
      await expect(callerFor(user).onboarding.dismiss(slug)).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(callerFor(user).onboarding.restore(slug)).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    expect(await callerFor(f.admin).onboarding.dismiss(slug)).toEqual({ changed: true });
    expect(await callerFor(f.owner).onboarding.dismiss(slug)).toEqual({ changed: false });
    // Dismissed for everyone: the member's checklist says so too.
    expect(await callerFor(f.member).onboarding.get(slug)).toMatchObject({ dismissed: true, canManage: false });
    expect(await callerFor(f.owner).onboarding.restore(slug)).toEqual({ changed: true });
    expect(await callerFor(f.member).onboarding.get(slug)).toMatchObject({ dismissed: false });
    const events = await db.auditEvent.findMany({ where: { chain: f.tenant.id, action: { startsWith: "onboarding." } }, orderBy: { seq: "asc" } });
    expect(events.map((e) => [e.action, e.actorId, e.result])).toEqual([
      ["onboarding.dismissed", f.admin.id, "SUCCESS"],
      ["onboarding.restored", f.owner.id, "SUCCESS"],
    ]);
    expect((await verifyAuditChain(f.tenant.id)).ok).toBe(true);
  });

  it("another workspace's data never completes a step", async () => {
    const mine = await soloWorkspace();
    const other = await soloWorkspace();
    await updateTenantProfile(other.ctx, { description: "Someone else" });
    await seed.document(other.tenant.id, "ready");
    await seed.answer(other.tenant.id, other.owner.id, "complete");
    await seed.meeting(other.tenant.id, "completed");
    await callerFor(other.owner).onboarding.confirmPersonas({ tenantSlug: other.tenant.slug });
    await callerFor(other.owner).onboarding.dismiss({ tenantSlug: other.tenant.slug });
    expect(await getOnboardingChecklist(mine.ctx)).toMatchObject({ doneCount: 0, dismissed: false });
    // And a stranger cannot read or dismiss it (existence is not revealed).
    await expect(callerFor(other.owner).onboarding.get({ tenantSlug: mine.tenant.slug })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(callerFor(other.owner).onboarding.dismiss({ tenantSlug: mine.tenant.slug })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
