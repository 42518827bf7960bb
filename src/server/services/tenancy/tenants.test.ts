import { describe, expect, it } from "vitest";
import { createTenantWithMembers, createUser, tenantCtxOf, uid, userCtxOf } from "../../../../prisma/factories";
import { db } from "~/server/db/client";
import { createTenant, getTenant, listMyTenants, renameTenant } from "./tenants";

describe("createTenant", () => {
  it("makes the caller the only OWNER and audits tenant.created", async () => {
    const user = await createUser();
    const slug = `acme-${uid()}`;
    const tenant = await createTenant(userCtxOf(user), { name: "Acme Corp", slug });
    expect(tenant).toMatchObject({ slug, name: "Acme Corp", status: "ACTIVE", role: "OWNER" });

    const memberships = await db.membership.findMany({ where: { tenantId: tenant.id } });
    expect(memberships).toHaveLength(1);
    expect(memberships[0]).toMatchObject({ userId: user.id, role: "OWNER" });

    const events = await db.auditEvent.findMany({ where: { tenantId: tenant.id } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "tenant.created", actorId: user.id, actorType: "USER", targetId: tenant.id, seq: 1, result: "SUCCESS", ip: "127.0.0.1" });
  });

  it("derives a unique slug from the name when none is given", async () => {
    const user = await createUser();
    const name = `Globex ${uid()}`;
    const a = await createTenant(userCtxOf(user), { name });
    const b = await createTenant(userCtxOf(user), { name });
    expect(a.slug).toBe(name.toLowerCase().replace(" ", "-"));
    expect(b.slug).not.toBe(a.slug);
    expect(b.slug.startsWith(a.slug)).toBe(true);
  });

  it("refuses a taken slug with CONFLICT slugTaken and writes nothing", async () => {
    const user = await createUser();
    const slug = `taken-${uid()}`;
    await createTenant(userCtxOf(user), { name: "First", slug });
    const before = await db.tenant.count();
    await expect(createTenant(userCtxOf(user), { name: "Second", slug })).rejects.toMatchObject({ code: "CONFLICT", reason: "slugTaken" });
    expect(await db.tenant.count()).toBe(before);
  });
});

describe("listMyTenants / getTenant / renameTenant", () => {
  it("lists only the caller's tenants with their role", async () => {
    const f = await createTenantWithMembers();
    const other = await createTenantWithMembers();
    const mine = await listMyTenants(userCtxOf(f.viewer));
    expect(mine).toEqual([{ id: f.tenant.id, slug: f.tenant.slug, name: f.tenant.name, status: "ACTIVE", role: "VIEWER" }]);
    expect(mine.map((t) => t.id)).not.toContain(other.tenant.id);
  });

  it("getTenant counts members; renameTenant renames and audits from/to", async () => {
    const f = await createTenantWithMembers();
    const ctx = tenantCtxOf(f.tenant, f.admin, "ADMIN");
    expect(await getTenant(ctx)).toMatchObject({ id: f.tenant.id, memberCount: 4, role: "ADMIN", plan: "trial" });
    await renameTenant(ctx, { name: "Renamed Inc" });
    expect((await db.tenant.findUniqueOrThrow({ where: { id: f.tenant.id } })).name).toBe("Renamed Inc");
    const ev = await db.auditEvent.findFirstOrThrow({ where: { tenantId: f.tenant.id, action: "tenant.renamed" } });
    expect(ev.metadata).toEqual({ from: f.tenant.name, to: "Renamed Inc" });
  });
});
