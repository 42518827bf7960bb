import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { addMember, createTenantWithMembers, createUser, tenantCtxOf, userCtxOf } from "../../../../prisma/factories";
import { db } from "~/server/db/client";
import { acceptInvitation, createInvitation, listInvitations, previewInvitation, revokeInvitation } from "./invitations";

const APP_URL = "http://localhost:3000";
const tokenOf = (link: string) => link.split("/invite/")[1]!;
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

describe("createInvitation", () => {
  it("returns the token once in the link and stores only its hash", async () => {
    const f = await createTenantWithMembers();
    const inv = await createInvitation(tenantCtxOf(f.tenant, f.admin, "ADMIN"), { role: "MEMBER", appUrl: `${APP_URL}/` });
    expect(inv.link).toMatch(/^http:\/\/localhost:3000\/invite\/[A-Za-z0-9_-]{43}$/);
    const token = tokenOf(inv.link);
    const row = await db.invitation.findUniqueOrThrow({ where: { id: inv.id } });
    expect(row.tokenHash).toBe(sha256(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row).toMatchObject({ tenantId: f.tenant.id, email: "", role: "MEMBER", invitedById: f.admin.id, acceptedAt: null, revokedAt: null });
    expect(row.expiresAt.getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    const ev = await db.auditEvent.findFirstOrThrow({ where: { tenantId: f.tenant.id, action: "invitation.created" } });
    expect(ev.targetId).toBe(inv.id);
    expect(JSON.stringify(ev)).not.toContain(token);
    expect(await listInvitations(tenantCtxOf(f.tenant, f.admin, "ADMIN"))).toMatchObject([{ id: inv.id, status: "PENDING", email: null, invitedBy: f.admin.email }]);
  });

  it("an email invitation is mailed (stored in the dev mailbox without SMTP)", async () => {
    const f = await createTenantWithMembers();
    const email = `Invitee-${Date.now()}@Example.test`;
    const inv = await createInvitation(tenantCtxOf(f.tenant, f.owner, "OWNER"), { email, role: "VIEWER", appUrl: APP_URL });
    const mails = await db.devMail.findMany({ where: { to: email.toLowerCase() } });
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain(f.tenant.name);
    expect(mails[0]!.text).toContain(inv.link);
    expect((await db.invitation.findUniqueOrThrow({ where: { id: inv.id } })).email).toBe(email.toLowerCase());
  });

  it("only an owner may invite an OWNER", async () => {
    const f = await createTenantWithMembers();
    const before = await db.invitation.count();
    await expect(createInvitation(tenantCtxOf(f.tenant, f.admin, "ADMIN"), { role: "OWNER", appUrl: APP_URL })).rejects.toMatchObject({ code: "FORBIDDEN", reason: "roleTooLow" });
    expect(await db.invitation.count()).toBe(before);
    await expect(createInvitation(tenantCtxOf(f.tenant, f.owner, "OWNER"), { role: "OWNER", appUrl: APP_URL })).resolves.toHaveProperty("id");
  });

  it("refuses to invite an existing member's email (CONFLICT alreadyMember)", async () => {
    const f = await createTenantWithMembers();
    await expect(createInvitation(tenantCtxOf(f.tenant, f.owner, "OWNER"), { email: f.viewer.email, role: "ADMIN", appUrl: APP_URL })).rejects.toMatchObject({
      code: "CONFLICT",
      reason: "alreadyMember",
    });
  });
});

describe("acceptInvitation", () => {
  it("creates the membership with the invited role; a second accept is CONFLICT", async () => {
    const f = await createTenantWithMembers();
    const inv = await createInvitation(tenantCtxOf(f.tenant, f.admin, "ADMIN"), { role: "ADMIN", appUrl: APP_URL });
    const joiner = await createUser();
    const token = tokenOf(inv.link);
    expect(await previewInvitation(token)).toEqual({ tenantName: f.tenant.name, role: "ADMIN", status: "PENDING", emailBound: false });

    await expect(acceptInvitation(userCtxOf(joiner), token)).resolves.toEqual({ tenantSlug: f.tenant.slug, role: "ADMIN" });
    const m = await db.membership.findUniqueOrThrow({ where: { tenantId_userId: { tenantId: f.tenant.id, userId: joiner.id } } });
    expect(m.role).toBe("ADMIN");
    expect((await previewInvitation(token)).status).toBe("ACCEPTED");

    const someoneElse = await createUser();
    await expect(acceptInvitation(userCtxOf(someoneElse), token)).rejects.toMatchObject({ code: "CONFLICT", reason: "invitationAccepted" });
    await expect(acceptInvitation(userCtxOf(joiner), token)).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await db.membership.count({ where: { tenantId: f.tenant.id, userId: someoneElse.id } })).toBe(0);
    expect(await db.auditEvent.count({ where: { tenantId: f.tenant.id, action: "invitation.accepted" } })).toBe(1);
  });

  it("two simultaneous accepts of one link: exactly one membership", async () => {
    const f = await createTenantWithMembers();
    const inv = await createInvitation(tenantCtxOf(f.tenant, f.admin, "ADMIN"), { role: "MEMBER", appUrl: APP_URL });
    const [a, b] = await Promise.all([createUser(), createUser()]);
    const results = await Promise.allSettled([acceptInvitation(userCtxOf(a), tokenOf(inv.link)), acceptInvitation(userCtxOf(b), tokenOf(inv.link))]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await db.membership.count({ where: { tenantId: f.tenant.id, userId: { in: [a.id, b.id] } } })).toBe(1);
  });

  it("an expired invitation is PRECONDITION_FAILED and writes no membership", async () => {
    const f = await createTenantWithMembers();
    const inv = await createInvitation(tenantCtxOf(f.tenant, f.admin, "ADMIN"), { role: "MEMBER", appUrl: APP_URL });
    await db.invitation.update({ where: { id: inv.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const joiner = await createUser();
    await expect(acceptInvitation(userCtxOf(joiner), tokenOf(inv.link))).rejects.toMatchObject({ code: "PRECONDITION_FAILED", reason: "invitationExpired" });
    expect(await db.membership.count({ where: { userId: joiner.id } })).toBe(0);
    expect((await db.invitation.findUniqueOrThrow({ where: { id: inv.id } })).acceptedAt).toBeNull();
    expect((await previewInvitation(tokenOf(inv.link))).status).toBe("EXPIRED");
  });

  it("a revoked invitation is CONFLICT and writes no membership", async () => {
    const f = await createTenantWithMembers();
    const ctx = tenantCtxOf(f.tenant, f.admin, "ADMIN");
    const inv = await createInvitation(ctx, { role: "MEMBER", appUrl: APP_URL });
    await revokeInvitation(ctx, { invitationId: inv.id });
    const joiner = await createUser();
    await expect(acceptInvitation(userCtxOf(joiner), tokenOf(inv.link))).rejects.toMatchObject({ code: "CONFLICT", reason: "invitationRevoked" });
    expect(await db.membership.count({ where: { userId: joiner.id } })).toBe(0);
    expect(await db.auditEvent.count({ where: { tenantId: f.tenant.id, action: "invitation.revoked", targetId: inv.id } })).toBe(1);
  });

  it("an email-bound invitation accepted by another address is FORBIDDEN; the right address can still accept", async () => {
    const f = await createTenantWithMembers();
    const invitee = await createUser({ email: `bound-${Date.now()}@example.test` });
    const inv = await createInvitation(tenantCtxOf(f.tenant, f.owner, "OWNER"), { email: invitee.email.toUpperCase(), role: "MEMBER", appUrl: APP_URL });
    const intruder = await createUser();
    await expect(acceptInvitation(userCtxOf(intruder), tokenOf(inv.link))).rejects.toMatchObject({ code: "FORBIDDEN", reason: "invitationOtherEmail" });
    expect(await db.membership.count({ where: { userId: intruder.id } })).toBe(0);
    await expect(acceptInvitation(userCtxOf(invitee), tokenOf(inv.link))).resolves.toMatchObject({ role: "MEMBER" });
  });

  it("an unknown token is NOT_FOUND", async () => {
    const u = await createUser();
    await expect(acceptInvitation(userCtxOf(u), "x".repeat(43))).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(previewInvitation("y".repeat(43))).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("accepting while already a member consumes the link but keeps the existing role", async () => {
    const f = await createTenantWithMembers();
    const inv = await createInvitation(tenantCtxOf(f.tenant, f.owner, "OWNER"), { role: "OWNER", appUrl: APP_URL });
    await acceptInvitation(userCtxOf(f.viewer), tokenOf(inv.link));
    expect((await db.membership.findUniqueOrThrow({ where: { id: f.viewer.membershipId } })).role).toBe("VIEWER");
  });
});

describe("revokeInvitation", () => {
  it("cannot revoke an accepted invitation, nor one of another tenant", async () => {
    const f = await createTenantWithMembers();
    const other = await createTenantWithMembers();
    const ctx = tenantCtxOf(f.tenant, f.admin, "ADMIN");
    const inv = await createInvitation(ctx, { role: "VIEWER", appUrl: APP_URL });
    await expect(revokeInvitation(tenantCtxOf(other.tenant, other.owner, "OWNER"), { invitationId: inv.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const u = await createUser();
    await addMember(other.tenant.id, u.id, "MEMBER");
    await acceptInvitation(userCtxOf(u), tokenOf(inv.link));
    await expect(revokeInvitation(ctx, { invitationId: inv.id })).rejects.toMatchObject({ code: "PRECONDITION_FAILED", reason: "invitationAccepted" });
  });
});
