import { describe, expect, it } from "vitest";
import { addMember, createTenantWithMembers, createUser, tenantCtxOf, uid, userCtxOf } from "../../../../prisma/factories";
import { db } from "~/server/db/client";
import { resolveTenantContext } from "../tenancy/tenant-context";
import { createCredential } from "../providers/credentials";
import { acceptInvitation, createInvitation } from "../tenancy/invitations";
import { decideAccessReviewItem } from "./decide-item";
import { getAccessReview, openAccessReview } from "./reviews";

const setup = async () => {
  const f = await createTenantWithMembers();
  const owner = tenantCtxOf(f.tenant, f.owner, "OWNER");
  const email = `invitee-${uid()}@example.test`;
  const created = await createInvitation(owner, { email, role: "MEMBER", appUrl: "http://localhost:3000" });
  const invitation = { id: created.id, email, token: created.link.split("/invite/")[1]! };
  const key = await createCredential(owner, { provider: "anthropic", label: "Claude key", apiKey: `sk-ant-${uid(12)}` });
  const { id: reviewId } = await openAccessReview(owner);
  const items = (await getAccessReview(owner, { reviewId })).items;
  const line = (kind: string, subjectId: string) => items.find((i) => i.kind === kind && i.subjectId === subjectId)!;
  return { f, owner, invitation, key, reviewId, line };
};

const decisionOf = async (itemId: string) => (await db.accessReviewItem.findUniqueOrThrow({ where: { id: itemId } })).decision;

describe("decideAccessReviewItem: keep", () => {
  it("records the decision and who made it, changes nothing else, and audits it", async () => {
    const { f, owner, reviewId, line } = await setup();
    const item = line("member", f.member.membershipId);
    const res = await decideAccessReviewItem(owner, { reviewId, itemId: item.id, decision: "keep" });
    expect(res).toMatchObject({ id: item.id, decision: "keep", alreadyGone: false });
    const after = (await getAccessReview(owner, { reviewId })).items.find((i) => i.id === item.id)!;
    expect(after).toMatchObject({ decision: "keep", decidedBy: f.owner.email });
    expect(await db.membership.findUnique({ where: { id: f.member.membershipId } })).not.toBeNull();
    const ev = await db.auditEvent.findFirstOrThrow({ where: { tenantId: f.tenant.id, action: "access_review.item_decided" } });
    expect(ev).toMatchObject({ actorId: f.owner.id, targetId: item.id, metadata: { reviewId, kind: "member", subjectId: f.member.membershipId, decision: "keep", previous: null } });
  });

  it("a kept line can still be revoked; a revoked line cannot be kept again (alreadyRevoked)", async () => {
    const { owner, invitation, reviewId, line } = await setup();
    const item = line("invitation", invitation.id);
    await decideAccessReviewItem(owner, { reviewId, itemId: item.id, decision: "keep" });
    await decideAccessReviewItem(owner, { reviewId, itemId: item.id, decision: "revoke" });
    expect(await decisionOf(item.id)).toBe("revoke");
    await expect(decideAccessReviewItem(owner, { reviewId, itemId: item.id, decision: "keep" })).rejects.toMatchObject({ code: "PRECONDITION_FAILED", reason: "alreadyRevoked" });
    expect(await decisionOf(item.id)).toBe("revoke");
  });
});

describe("decideAccessReviewItem: revoke carries out the revocation", () => {
  it("a member: the membership is removed (member.removed audited) and their next request is refused", async () => {
    const { f, owner, reviewId, line } = await setup();
    const item = line("member", f.admin.membershipId);
    await decideAccessReviewItem(owner, { reviewId, itemId: item.id, decision: "revoke" });
    expect(await db.membership.findUnique({ where: { id: f.admin.membershipId } })).toBeNull();
    expect(await decisionOf(item.id)).toBe("revoke");
    expect(await db.auditEvent.count({ where: { tenantId: f.tenant.id, action: "member.removed", targetId: f.admin.id } })).toBe(1);
    await expect(resolveTenantContext({ userId: f.admin.id, isPlatformAdmin: false, meta: {} }, f.tenant.slug, "VIEWER")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("an invitation: it is revoked and can no longer be accepted", async () => {
    const { f, owner, invitation, reviewId, line } = await setup();
    await decideAccessReviewItem(owner, { reviewId, itemId: line("invitation", invitation.id).id, decision: "revoke" });
    expect((await db.invitation.findUniqueOrThrow({ where: { id: invitation.id } })).revokedAt).not.toBeNull();
    expect(await db.auditEvent.count({ where: { tenantId: f.tenant.id, action: "invitation.revoked", targetId: invitation.id } })).toBe(1);
    const invitee = await createUser({ email: invitation.email });
    await expect(acceptInvitation(userCtxOf(invitee), invitation.token)).rejects.toMatchObject({ reason: "invitationRevoked" });
    expect(await db.membership.count({ where: { tenantId: f.tenant.id, userId: invitee.id } })).toBe(0);
  });

  it("a provider key: the credential is deleted (provider_credential.deleted audited)", async () => {
    const { f, owner, key, reviewId, line } = await setup();
    await decideAccessReviewItem(owner, { reviewId, itemId: line("provider-key", key.id).id, decision: "revoke" });
    expect(await db.providerCredential.findUnique({ where: { id: key.id } })).toBeNull();
    expect(await db.auditEvent.count({ where: { tenantId: f.tenant.id, action: "provider_credential.deleted", targetId: key.id } })).toBe(1);
  });

  it("something already gone since the snapshot is recorded as revoked with alreadyGone", async () => {
    const { f, owner, key, reviewId, line } = await setup();
    await db.providerCredential.delete({ where: { id: key.id } });
    const item = line("provider-key", key.id);
    const res = await decideAccessReviewItem(owner, { reviewId, itemId: item.id, decision: "revoke" });
    expect(res).toMatchObject({ decision: "revoke", alreadyGone: true });
    const ev = await db.auditEvent.findFirstOrThrow({ where: { tenantId: f.tenant.id, action: "access_review.item_decided", targetId: item.id } });
    expect(ev.metadata).toMatchObject({ decision: "revoke", alreadyGone: true });
  });
});

describe("decideAccessReviewItem: refusals", () => {
  it("an owner cannot revoke themself in a review (cannotRevokeSelf); keeping themself is fine", async () => {
    const { f, owner, reviewId, line } = await setup();
    const self = line("member", f.owner.membershipId);
    await expect(decideAccessReviewItem(owner, { reviewId, itemId: self.id, decision: "revoke" })).rejects.toMatchObject({ code: "BAD_REQUEST", reason: "cannotRevokeSelf" });
    expect(await db.membership.findUnique({ where: { id: f.owner.membershipId } })).not.toBeNull();
    expect(await decisionOf(self.id)).toBeNull();
    await decideAccessReviewItem(owner, { reviewId, itemId: self.id, decision: "keep" });
    expect(await decisionOf(self.id)).toBe("keep");
  });

  it("the last owner is never removed: two owners revoking each other at once, exactly one succeeds (lastOwner)", async () => {
    const { f, owner, reviewId } = await setup();
    const second = await createUser();
    const secondMembership = await addMember(f.tenant.id, second.id, "OWNER");
    // The second owner joined after the snapshot; a fresh review includes them.
    await db.accessReview.update({ where: { id: reviewId }, data: { status: "completed", completedAt: new Date() } });
    const { id: review2 } = await openAccessReview(owner);
    const items = (await getAccessReview(owner, { reviewId: review2 })).items;
    const lineOf = (membershipId: string) => items.find((i) => i.subjectId === membershipId)!.id;
    const results = await Promise.allSettled([
      decideAccessReviewItem(owner, { reviewId: review2, itemId: lineOf(secondMembership.id), decision: "revoke" }),
      decideAccessReviewItem(tenantCtxOf(f.tenant, second, "OWNER"), { reviewId: review2, itemId: lineOf(f.owner.membershipId), decision: "revoke" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ code: "PRECONDITION_FAILED", reason: "lastOwner" });
    expect(await db.membership.count({ where: { tenantId: f.tenant.id, role: "OWNER" } })).toBe(1);
    // Only the carried-out revocation is recorded; the refused line stays undecided.
    expect(await db.accessReviewItem.count({ where: { reviewId: review2, decision: "revoke" } })).toBe(1);
  });

  it.each(["ADMIN", "MEMBER", "VIEWER"] as const)("a %s cannot decide (FORBIDDEN roleTooLow)", async (role) => {
    const { f, invitation, reviewId, line } = await setup();
    const who = { ADMIN: f.admin, MEMBER: f.member, VIEWER: f.viewer }[role];
    const item = line("invitation", invitation.id);
    await expect(decideAccessReviewItem(tenantCtxOf(f.tenant, who, role), { reviewId, itemId: item.id, decision: "revoke" })).rejects.toMatchObject({
      code: "FORBIDDEN",
      reason: "roleTooLow",
    });
    expect((await db.invitation.findUniqueOrThrow({ where: { id: invitation.id } })).revokedAt).toBeNull();
    expect(await decisionOf(item.id)).toBeNull();
  });
});
