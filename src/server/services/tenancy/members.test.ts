import { describe, expect, it } from "vitest";
import { addMember, createTenantWithMembers, createUser, tenantCtxOf } from "../../../../prisma/factories";
import { db } from "~/server/db/client";
import { changeMemberRole, leaveTenant, listMembers, removeMember } from "./members";
import { resolveTenantContext } from "./tenant-context";

const roleOf = async (membershipId: string) => (await db.membership.findUnique({ where: { id: membershipId } }))?.role ?? null;

describe("listMembers", () => {
  it("lists the tenant's members and flags the caller", async () => {
    const f = await createTenantWithMembers();
    const rows = await listMembers(tenantCtxOf(f.tenant, f.viewer, "VIEWER"));
    expect(rows.map((r) => r.role).sort()).toEqual(["ADMIN", "MEMBER", "OWNER", "VIEWER"]);
    expect(rows.filter((r) => r.isSelf).map((r) => r.userId)).toEqual([f.viewer.id]);
  });
});

describe("changeMemberRole", () => {
  it("lets an owner change a role and audits member.role_changed", async () => {
    const f = await createTenantWithMembers();
    const res = await changeMemberRole(tenantCtxOf(f.tenant, f.owner, "OWNER"), { membershipId: f.member.membershipId, role: "ADMIN" });
    expect(res).toEqual({ id: f.member.membershipId, role: "ADMIN" });
    expect(await roleOf(f.member.membershipId)).toBe("ADMIN");
    const ev = await db.auditEvent.findFirstOrThrow({ where: { tenantId: f.tenant.id, action: "member.role_changed" } });
    expect(ev).toMatchObject({ actorId: f.owner.id, targetId: f.member.id, metadata: { from: "MEMBER", to: "ADMIN" } });
  });

  it.each(["ADMIN", "MEMBER", "VIEWER"] as const)("refuses a %s with FORBIDDEN roleTooLow", async (role) => {
    const f = await createTenantWithMembers();
    const caller = { ADMIN: f.admin, MEMBER: f.member, VIEWER: f.viewer }[role];
    await expect(changeMemberRole(tenantCtxOf(f.tenant, caller, role), { membershipId: f.viewer.membershipId, role: "MEMBER" })).rejects.toMatchObject({
      code: "FORBIDDEN",
      reason: "roleTooLow",
    });
    expect(await roleOf(f.viewer.membershipId)).toBe("VIEWER");
  });

  it("refuses to demote the last owner (PRECONDITION_FAILED lastOwner)", async () => {
    const f = await createTenantWithMembers();
    await expect(changeMemberRole(tenantCtxOf(f.tenant, f.owner, "OWNER"), { membershipId: f.owner.membershipId, role: "ADMIN" })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      reason: "lastOwner",
    });
    expect(await roleOf(f.owner.membershipId)).toBe("OWNER");
  });

  it("allows demoting an owner when another owner remains", async () => {
    const f = await createTenantWithMembers();
    const second = await createUser();
    const m = await addMember(f.tenant.id, second.id, "OWNER");
    await changeMemberRole(tenantCtxOf(f.tenant, f.owner, "OWNER"), { membershipId: m.id, role: "VIEWER" });
    expect(await roleOf(m.id)).toBe("VIEWER");
  });

  it("two owners demoting each other at once: exactly one succeeds, one owner remains", async () => {
    const f = await createTenantWithMembers();
    const second = await createUser();
    const m2 = await addMember(f.tenant.id, second.id, "OWNER");
    const results = await Promise.allSettled([
      changeMemberRole(tenantCtxOf(f.tenant, f.owner, "OWNER"), { membershipId: m2.id, role: "ADMIN" }),
      changeMemberRole(tenantCtxOf(f.tenant, second, "OWNER"), { membershipId: f.owner.membershipId, role: "ADMIN" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "PRECONDITION_FAILED", reason: "lastOwner" } });
    expect(await db.membership.count({ where: { tenantId: f.tenant.id, role: "OWNER" } })).toBe(1);
  });

  it("cannot reach a membership of another tenant (NOT_FOUND)", async () => {
    const f = await createTenantWithMembers();
    const other = await createTenantWithMembers();
    await expect(changeMemberRole(tenantCtxOf(f.tenant, f.owner, "OWNER"), { membershipId: other.member.membershipId, role: "VIEWER" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await roleOf(other.member.membershipId)).toBe("MEMBER");
  });
});

describe("removeMember", () => {
  it.each(["member", "viewer"] as const)("an admin can remove a %s", async (who) => {
    const f = await createTenantWithMembers();
    await removeMember(tenantCtxOf(f.tenant, f.admin, "ADMIN"), { membershipId: f[who].membershipId });
    expect(await roleOf(f[who].membershipId)).toBeNull();
    const ev = await db.auditEvent.findFirstOrThrow({ where: { tenantId: f.tenant.id, action: "member.removed" } });
    expect(ev).toMatchObject({ actorId: f.admin.id, targetId: f[who].id });
  });

  it.each(["owner", "admin"] as const)("an admin cannot remove an %s (FORBIDDEN)", async (who) => {
    const f = await createTenantWithMembers();
    const other = who === "admin" ? await addMember(f.tenant.id, (await createUser()).id, "ADMIN") : { id: f.owner.membershipId };
    await expect(removeMember(tenantCtxOf(f.tenant, f.admin, "ADMIN"), { membershipId: other.id })).rejects.toMatchObject({ code: "FORBIDDEN", reason: "roleTooLow" });
    expect(await roleOf(other.id)).not.toBeNull();
  });

  it("an owner can remove an admin", async () => {
    const f = await createTenantWithMembers();
    await removeMember(tenantCtxOf(f.tenant, f.owner, "OWNER"), { membershipId: f.admin.membershipId });
    expect(await roleOf(f.admin.membershipId)).toBeNull();
  });

  it("the last owner cannot be removed (PRECONDITION_FAILED lastOwner)", async () => {
    const f = await createTenantWithMembers();
    // With one owner, only that owner passes the role check, and removing yourself is
    // refused first (useLeave). The branch guards a race: a caller resolved as OWNER
    // whose ownership was removed before the lock was taken. Reproduce that with a
    // stale context (role OWNER, current membership MEMBER).
    const stale = await createUser();
    await addMember(f.tenant.id, stale.id, "MEMBER");
    await expect(removeMember(tenantCtxOf(f.tenant, stale, "OWNER"), { membershipId: f.owner.membershipId })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      reason: "lastOwner",
    });
    expect(await roleOf(f.owner.membershipId)).toBe("OWNER");
  });

  it("an owner can remove another owner while one remains", async () => {
    const f = await createTenantWithMembers();
    const second = await createUser();
    const m2 = await addMember(f.tenant.id, second.id, "OWNER");
    await removeMember(tenantCtxOf(f.tenant, f.owner, "OWNER"), { membershipId: m2.id });
    expect(await roleOf(m2.id)).toBeNull();
  });

  it("cannot remove yourself (BAD_REQUEST useLeave)", async () => {
    const f = await createTenantWithMembers();
    await expect(removeMember(tenantCtxOf(f.tenant, f.admin, "ADMIN"), { membershipId: f.admin.membershipId })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      reason: "useLeave",
    });
    expect(await roleOf(f.admin.membershipId)).toBe("ADMIN");
  });

  it("ends access at once: the removed user's next resolve is NOT_FOUND", async () => {
    const f = await createTenantWithMembers();
    const userCtx = { userId: f.member.id, isPlatformAdmin: false, meta: {} };
    await expect(resolveTenantContext(userCtx, f.tenant.slug, "VIEWER")).resolves.toMatchObject({ role: "MEMBER" });
    await removeMember(tenantCtxOf(f.tenant, f.owner, "OWNER"), { membershipId: f.member.membershipId });
    await expect(resolveTenantContext(userCtx, f.tenant.slug, "VIEWER")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("leaveTenant", () => {
  it("the last owner cannot leave (PRECONDITION_FAILED lastOwner)", async () => {
    const f = await createTenantWithMembers();
    await expect(leaveTenant(tenantCtxOf(f.tenant, f.owner, "OWNER"))).rejects.toMatchObject({ code: "PRECONDITION_FAILED", reason: "lastOwner" });
    expect(await roleOf(f.owner.membershipId)).toBe("OWNER");
  });

  it("an owner can leave when another owner remains", async () => {
    const f = await createTenantWithMembers();
    await addMember(f.tenant.id, (await createUser()).id, "OWNER");
    await expect(leaveTenant(tenantCtxOf(f.tenant, f.owner, "OWNER"))).resolves.toEqual({ left: true });
    expect(await roleOf(f.owner.membershipId)).toBeNull();
  });

  it.each(["admin", "member", "viewer"] as const)("a %s can leave, and it is audited", async (who) => {
    const f = await createTenantWithMembers();
    const role = f[who].role;
    await leaveTenant(tenantCtxOf(f.tenant, f[who], role));
    expect(await roleOf(f[who].membershipId)).toBeNull();
    expect(await db.auditEvent.count({ where: { tenantId: f.tenant.id, action: "member.left", actorId: f[who].id } })).toBe(1);
  });
});
