import { describe, expect, it } from "vitest";
import { addMember, createTenantWithMembers, createUser, tenantCtxOf, uid } from "../../../../prisma/factories";
import { db } from "~/server/db/client";
import { createCredential } from "../providers/credentials";
import { createInvitation, revokeInvitation } from "../tenancy/invitations";
import { decideAccessReviewItem } from "./decide-item";
import { completeAccessReview, getAccessReview, listAccessReviews, openAccessReview } from "./reviews";

const APP_URL = "http://localhost:3000";
const SECRET = `sk-review-${uid(12)}-SECRETPART`;

/** A tenant with one member per role, a pending email invitation, a revoked one, and one provider key. */
const setup = async () => {
  const f = await createTenantWithMembers();
  const owner = tenantCtxOf(f.tenant, f.owner, "OWNER");
  const pending = await createInvitation(owner, { email: `invitee-${uid()}@example.test`, role: "ADMIN", appUrl: APP_URL });
  const revoked = await createInvitation(owner, { role: "MEMBER", appUrl: APP_URL });
  await revokeInvitation(owner, { invitationId: revoked.id });
  const key = await createCredential(owner, { provider: "openai", label: "Main OpenAI", apiKey: SECRET });
  await db.membership.update({ where: { id: f.member.membershipId }, data: { lastActiveAt: new Date("2026-01-02T03:04:05Z") } });
  return { f, owner, pending, revoked, key };
};

const decideAll = async (ctx: ReturnType<typeof tenantCtxOf>, reviewId: string, decision: "keep" | "revoke" = "keep") => {
  const review = await getAccessReview(ctx, { reviewId });
  for (const item of review.items) if (!item.decision && !item.isSelf) await decideAccessReviewItem(ctx, { reviewId, itemId: item.id, decision });
  for (const item of review.items) if (!item.decision && item.isSelf) await decideAccessReviewItem(ctx, { reviewId, itemId: item.id, decision: "keep" });
};

describe("openAccessReview: the snapshot", () => {
  it("lists every member, every pending invitation and every provider key, with what an owner needs and never the secret", async () => {
    const { f, owner, pending, key } = await setup();
    const opened = await openAccessReview(owner);
    expect(opened.created).toBe(true);
    const review = await getAccessReview(owner, { reviewId: opened.id });

    expect(review.status).toBe("open");
    expect(review.openedBy).toBe(f.owner.email);
    expect(review.items.map((i) => i.kind)).toEqual(["member", "member", "member", "member", "invitation", "provider-key"]);
    const members = review.items.filter((i) => i.kind === "member");
    expect(members.map((m) => m.label).sort()).toEqual([f.owner.email, f.admin.email, f.member.email, f.viewer.email].sort());
    const member = members.find((m) => m.subjectId === f.member.membershipId)!;
    expect(member.detail).toMatchObject({ userId: f.member.id, role: "MEMBER", lastActiveAt: new Date("2026-01-02T03:04:05Z") });
    expect(member.detail.joinedAt).toBeInstanceOf(Date);
    expect(members.filter((m) => m.isSelf).map((m) => m.subjectId)).toEqual([f.owner.membershipId]);

    // Only the pending invitation: revoked (and accepted or expired) ones grant nothing.
    const invitation = review.items.find((i) => i.kind === "invitation")!;
    expect(invitation).toMatchObject({ subjectId: pending.id, detail: { role: "ADMIN", invitedBy: f.owner.email, expiresAt: pending.expiresAt } });

    const providerKey = review.items.find((i) => i.kind === "provider-key")!;
    expect(providerKey).toMatchObject({ subjectId: key.id, label: "Main OpenAI", detail: { provider: "openai", last4: SECRET.slice(-4), createdBy: f.owner.email, lastUsedAt: null } });
    expect(review.items.every((i) => i.decision === null)).toBe(true);

    // The stored lines and the audit event carry no part of the key but its last four characters.
    const stored = await db.accessReviewItem.findMany({ where: { reviewId: opened.id } });
    expect(JSON.stringify(stored)).not.toContain("SECRETPART");
    const ev = await db.auditEvent.findFirstOrThrow({ where: { tenantId: f.tenant.id, action: "access_review.opened" } });
    expect(ev).toMatchObject({ actorId: f.owner.id, targetType: "access_review", targetId: opened.id, metadata: { members: 4, invitations: 1, providerKeys: 1 } });
    expect(JSON.stringify(ev)).not.toContain("SECRETPART");
  });

  it("returns the open review instead of opening a second one, also when two owners start at once", async () => {
    const { f, owner } = await setup();
    const second = await createUser();
    await addMember(f.tenant.id, second.id, "OWNER");
    const results = await Promise.all([openAccessReview(owner), openAccessReview(tenantCtxOf(f.tenant, second, "OWNER"))]);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await db.accessReview.count({ where: { tenantId: f.tenant.id } })).toBe(1);
    expect(await db.auditEvent.count({ where: { tenantId: f.tenant.id, action: "access_review.opened" } })).toBe(1);
    expect(await openAccessReview(owner)).toEqual({ id: results[0]!.id, created: false });
  });

  it.each(["ADMIN", "MEMBER", "VIEWER"] as const)("refuses a %s with FORBIDDEN roleTooLow", async (role) => {
    const { f } = await setup();
    const who = { ADMIN: f.admin, MEMBER: f.member, VIEWER: f.viewer }[role];
    await expect(openAccessReview(tenantCtxOf(f.tenant, who, role))).rejects.toMatchObject({ code: "FORBIDDEN", reason: "roleTooLow" });
    expect(await db.accessReview.count({ where: { tenantId: f.tenant.id } })).toBe(0);
  });
});

describe("completeAccessReview", () => {
  it("refuses while a line is undecided (reviewIncomplete), then completes and audits the counts", async () => {
    const { f, owner } = await setup();
    const { id } = await openAccessReview(owner);
    const review = await getAccessReview(owner, { reviewId: id });
    await decideAccessReviewItem(owner, { reviewId: id, itemId: review.items[0]!.id, decision: "keep" });
    await expect(completeAccessReview(owner, { reviewId: id })).rejects.toMatchObject({ code: "PRECONDITION_FAILED", reason: "reviewIncomplete" });
    expect((await db.accessReview.findUniqueOrThrow({ where: { id } })).status).toBe("open");

    const invitation = review.items.find((i) => i.kind === "invitation")!;
    await decideAccessReviewItem(owner, { reviewId: id, itemId: invitation.id, decision: "revoke" });
    await decideAll(owner, id);
    const done = await completeAccessReview(owner, { reviewId: id });
    const intervalMs = 90 * 86_400_000;
    expect(done.nextDueAt.getTime() - done.completedAt.getTime()).toBe(intervalMs);

    const after = await getAccessReview(owner, { reviewId: id });
    expect(after).toMatchObject({ status: "completed", completedBy: f.owner.email, counts: { total: 6, kept: 5, revoked: 1, undecided: 0 } });
    const ev = await db.auditEvent.findFirstOrThrow({ where: { tenantId: f.tenant.id, action: "access_review.completed" } });
    expect(ev).toMatchObject({ actorId: f.owner.id, targetId: id, metadata: { total: 6, kept: 5, revoked: 1, nextDueAt: done.nextDueAt.toISOString() } });

    // A completed review is closed: no second completion, no more decisions, and a new one may be opened.
    await expect(completeAccessReview(owner, { reviewId: id })).rejects.toMatchObject({ code: "PRECONDITION_FAILED", reason: "reviewNotOpen" });
    await expect(decideAccessReviewItem(owner, { reviewId: id, itemId: review.items[1]!.id, decision: "keep" })).rejects.toMatchObject({ reason: "reviewNotOpen" });
    expect((await openAccessReview(owner)).created).toBe(true);
  });

  it("is for owners only", async () => {
    const { f, owner } = await setup();
    const { id } = await openAccessReview(owner);
    await decideAll(owner, id);
    await expect(completeAccessReview(tenantCtxOf(f.tenant, f.admin, "ADMIN"), { reviewId: id })).rejects.toMatchObject({ code: "FORBIDDEN", reason: "roleTooLow" });
    expect((await db.accessReview.findUniqueOrThrow({ where: { id } })).status).toBe("open");
  });
});

describe("listAccessReviews / getAccessReview", () => {
  it("lists the history newest first with counts; admins may read, members may not", async () => {
    const { f, owner } = await setup();
    const first = await openAccessReview(owner);
    await decideAll(owner, first.id);
    await completeAccessReview(owner, { reviewId: first.id });
    const second = await openAccessReview(owner);

    const admin = tenantCtxOf(f.tenant, f.admin, "ADMIN");
    const list = await listAccessReviews(admin);
    expect(list.map((r) => [r.id, r.status])).toEqual([
      [second.id, "open"],
      [first.id, "completed"],
    ]);
    expect(list[1]).toMatchObject({ openedBy: f.owner.email, completedBy: f.owner.email, counts: { total: 6, kept: 6, revoked: 0, undecided: 0 } });
    expect(list[0]!.counts).toMatchObject({ total: 6, undecided: 6 });
    // The admin reads the lines too; isSelf is about the caller.
    const seen = await getAccessReview(admin, { reviewId: second.id });
    expect(seen.items.filter((i) => i.isSelf).map((i) => i.subjectId)).toEqual([f.admin.membershipId]);

    await expect(listAccessReviews(tenantCtxOf(f.tenant, f.member, "MEMBER"))).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(getAccessReview(tenantCtxOf(f.tenant, f.viewer, "VIEWER"), { reviewId: second.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("keeps tenants apart: another tenant's review and lines are NOT_FOUND and never listed", async () => {
    const a = await setup();
    const b = await setup();
    const reviewA = await openAccessReview(a.owner);
    const reviewB = await openAccessReview(b.owner);
    const itemA = (await getAccessReview(a.owner, { reviewId: reviewA.id })).items.find((i) => i.kind === "invitation")!;

    expect((await listAccessReviews(b.owner)).map((r) => r.id)).toEqual([reviewB.id]);
    await expect(getAccessReview(b.owner, { reviewId: reviewA.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(completeAccessReview(b.owner, { reviewId: reviewA.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    // Neither by the other tenant's review id nor by pairing it with the own review id.
    await expect(decideAccessReviewItem(b.owner, { reviewId: reviewA.id, itemId: itemA.id, decision: "revoke" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(decideAccessReviewItem(b.owner, { reviewId: reviewB.id, itemId: itemA.id, decision: "revoke" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await db.invitation.findUniqueOrThrow({ where: { id: a.pending.id } })).revokedAt).toBeNull();
    expect((await db.accessReviewItem.findUniqueOrThrow({ where: { id: itemA.id } })).decision).toBeNull();
    // B's snapshot has none of A's people or keys.
    const linesB = (await getAccessReview(b.owner, { reviewId: reviewB.id })).items.map((i) => i.subjectId);
    expect(linesB).not.toContain(a.f.owner.membershipId);
    expect(linesB).not.toContain(a.key.id);
  });
});
