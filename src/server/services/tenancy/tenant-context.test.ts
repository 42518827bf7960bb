import { describe, expect, it, vi } from "vitest";
import { createTenantWithMembers, createUser, userCtxOf } from "../../../../prisma/factories";
import { db } from "~/server/db/client";
import { ACTIVITY_WRITE_INTERVAL_MS, resolveTenantContext, touchMembershipActivity } from "./tenant-context";

describe("resolveTenantContext", () => {
  it("resolves a member's context with tenant id, slug and role", async () => {
    const f = await createTenantWithMembers();
    const ctx = await resolveTenantContext(userCtxOf(f.admin), f.tenant.slug, "MEMBER");
    expect(ctx).toMatchObject({ tenantId: f.tenant.id, tenantSlug: f.tenant.slug, role: "ADMIN", userId: f.admin.id });
  });

  it("a non-member gets NOT_FOUND (tenant existence is not revealed)", async () => {
    const f = await createTenantWithMembers();
    const other = await createTenantWithMembers();
    await expect(resolveTenantContext(userCtxOf(other.owner), f.tenant.slug, "VIEWER")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("a platform admin who is not a member gets NOT_FOUND too", async () => {
    const f = await createTenantWithMembers();
    const staff = await createUser({ isPlatformAdmin: true });
    await expect(resolveTenantContext(userCtxOf(staff), f.tenant.slug, "VIEWER")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("an unknown slug is NOT_FOUND, like a foreign one", async () => {
    const u = await createUser();
    await expect(resolveTenantContext(userCtxOf(u), "no-such-tenant-xyz", "VIEWER")).rejects.toMatchObject({ code: "NOT_FOUND", reason: "notFound" });
  });

  it.each([
    ["viewer", "MEMBER"],
    ["member", "ADMIN"],
    ["admin", "OWNER"],
  ] as const)("a %s below %s gets FORBIDDEN roleTooLow", async (who, min) => {
    const f = await createTenantWithMembers();
    await expect(resolveTenantContext(userCtxOf(f[who]), f.tenant.slug, min)).rejects.toMatchObject({ code: "FORBIDDEN", reason: "roleTooLow" });
  });

  it("a suspended tenant is FORBIDDEN tenantSuspended, even for its owner", async () => {
    const f = await createTenantWithMembers({ status: "SUSPENDED" });
    await expect(resolveTenantContext(userCtxOf(f.owner), f.tenant.slug, "VIEWER")).rejects.toMatchObject({ code: "FORBIDDEN", reason: "tenantSuspended" });
    await db.tenant.update({ where: { id: f.tenant.id }, data: { status: "ACTIVE" } });
    await expect(resolveTenantContext(userCtxOf(f.owner), f.tenant.slug, "VIEWER")).resolves.toMatchObject({ role: "OWNER" });
  });
});

describe("membership activity (lastActiveAt)", () => {
  const lastActiveOf = async (membershipId: string) => (await db.membership.findUniqueOrThrow({ where: { id: membershipId } })).lastActiveAt;

  it("resolving the context records the member's activity, without the request waiting for it", async () => {
    const f = await createTenantWithMembers();
    expect(await lastActiveOf(f.member.membershipId)).toBeNull();
    await resolveTenantContext(userCtxOf(f.member), f.tenant.slug, "VIEWER");
    await vi.waitFor(async () => expect(await lastActiveOf(f.member.membershipId)).not.toBeNull());
    // Another member's activity is not touched.
    expect(await lastActiveOf(f.viewer.membershipId)).toBeNull();
  });

  it("writes at most once per 5 minutes per membership", async () => {
    const f = await createTenantWithMembers();
    const id = f.member.membershipId;
    const t0 = new Date("2026-03-01T10:00:00Z");
    expect(await touchMembershipActivity(id, t0)).toBe(true);
    expect(await touchMembershipActivity(id, new Date(t0.getTime() + 60_000))).toBe(false);
    expect(await touchMembershipActivity(id, new Date(t0.getTime() + ACTIVITY_WRITE_INTERVAL_MS))).toBe(false);
    expect(await lastActiveOf(id)).toEqual(t0);
    const later = new Date(t0.getTime() + ACTIVITY_WRITE_INTERVAL_MS + 1);
    expect(await touchMembershipActivity(id, later)).toBe(true);
    expect(await lastActiveOf(id)).toEqual(later);
  });

  it("concurrent requests write once", async () => {
    const f = await createTenantWithMembers();
    const now = new Date();
    const writes = await Promise.all(Array.from({ length: 5 }, () => touchMembershipActivity(f.admin.membershipId, now)));
    expect(writes.filter(Boolean)).toHaveLength(1);
  });

  it("a failed write is logged and swallowed, never thrown", async () => {
    // A NUL byte is refused by Postgres itself: a real database error on this path.
    await expect(touchMembershipActivity("bad\u0000id")).resolves.toBe(false);
  });
});
