import { describe, expect, it } from "vitest";
import { createTenantWithMembers, createUser, userCtxOf } from "../../../../prisma/factories";
import { db } from "~/server/db/client";
import { resolveTenantContext } from "./tenant-context";

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
