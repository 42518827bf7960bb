import { describe, expect, it } from "vitest";
import { createTenantWithMembers, createUser } from "../../../../prisma/factories";
import { callerFor } from "../../../../tests/support/trpc";
import { db } from "~/server/db/client";
import { PLATFORM_CHAIN, verifyAuditChain } from "../audit/audit";
import { assertWithinBudget, recordTokenUsage } from "./token-budget";

// admin.setTokenBudget through the real router: the platform chain gets the
// call (platformAdminProcedure), the tenant's chain the change with its reason,
// and the new budget applies to the next model call at once.

const tenantEvents = (tenantId: string) =>
  db.auditEvent.findMany({ where: { chain: tenantId, action: { startsWith: "tenant.token_budget" } }, orderBy: { seq: "asc" }, select: { action: true, actorType: true, actorId: true, metadata: true } });
const platformEvents = (adminId: string) =>
  db.auditEvent.findMany({ where: { chain: PLATFORM_CHAIN, actorId: adminId, action: "admin.setTokenBudget" }, orderBy: { seq: "asc" }, select: { result: true, metadata: true } });

describe("admin.setTokenBudget", () => {
  it("sets and clears a tenant's budget, audited on the platform chain and the tenant's chain", async () => {
    const f = await createTenantWithMembers();
    const admin = await createUser({ isPlatformAdmin: true });
    const api = callerFor(admin);
    await recordTokenUsage(f.tenant.id, 900);

    const set = await api.admin.setTokenBudget({ tenantId: f.tenant.id, monthlyTokens: 1000, reason: "Trial plan limit" });
    expect(set).toMatchObject({ tenantId: f.tenant.id, changed: true, budget: { monthlyTokens: 1000, used: 900, exhausted: false, warning: true } });
    await expect(assertWithinBudget(f.tenant.id)).resolves.toBeUndefined();

    // Lowered under what was used: the very next call is refused (this process's cache was invalidated).
    await api.admin.setTokenBudget({ tenantId: f.tenant.id, monthlyTokens: 900, reason: "Abuse investigation" });
    await expect(assertWithinBudget(f.tenant.id)).rejects.toMatchObject({ reason: "tokenBudgetExhausted" });
    const detail = await api.admin.tenant({ tenantId: f.tenant.id });
    expect(detail.tokenBudget).toMatchObject({ monthlyTokens: 900, used: 900, exhausted: true });

    // Cleared: unlimited again.
    const cleared = await api.admin.setTokenBudget({ tenantId: f.tenant.id, monthlyTokens: null, reason: "Upgraded to the business plan" });
    expect(cleared).toMatchObject({ changed: true, budget: { monthlyTokens: null, exhausted: false } });
    await expect(assertWithinBudget(f.tenant.id)).resolves.toBeUndefined();
    // The same value again changes nothing and records nothing on the tenant's chain.
    expect(await api.admin.setTokenBudget({ tenantId: f.tenant.id, monthlyTokens: null, reason: "Clicked twice" })).toMatchObject({ changed: false });

    expect(await tenantEvents(f.tenant.id)).toEqual([
      { action: "tenant.token_budget_set", actorType: "PLATFORM_ADMIN", actorId: admin.id, metadata: { previous: null, monthlyTokens: 1000, reason: "Trial plan limit" } },
      { action: "tenant.token_budget_set", actorType: "PLATFORM_ADMIN", actorId: admin.id, metadata: { previous: 1000, monthlyTokens: 900, reason: "Abuse investigation" } },
      { action: "tenant.token_budget_cleared", actorType: "PLATFORM_ADMIN", actorId: admin.id, metadata: { previous: 900, monthlyTokens: null, reason: "Upgraded to the business plan" } },
    ]);
    const platform = await platformEvents(admin.id);
    expect(platform).toHaveLength(4);
    expect(platform.every((e) => e.result === "SUCCESS")).toBe(true);
    expect(platform.map((e) => (e.metadata as { input: { reason: string } }).input.reason)).toEqual(["Trial plan limit", "Abuse investigation", "Upgraded to the business plan", "Clicked twice"]);
    expect((await verifyAuditChain(f.tenant.id)).ok).toBe(true);
    // The owners see our staff's change in their own audit trail.
    const trail = await callerFor(f.owner).audit.list({ tenantSlug: f.tenant.slug, action: "tenant.token_budget" });
    expect(trail.items.map((e) => e.action)).toEqual(["tenant.token_budget_cleared", "tenant.token_budget_set", "tenant.token_budget_set"]);
  });

  it("re-arms the month's 80 % notice when the budget changes", async () => {
    const f = await createTenantWithMembers();
    const api = callerFor(await createUser({ isPlatformAdmin: true }));
    await api.admin.setTokenBudget({ tenantId: f.tenant.id, monthlyTokens: 100, reason: "Small trial" });
    await recordTokenUsage(f.tenant.id, 85);
    await api.admin.setTokenBudget({ tenantId: f.tenant.id, monthlyTokens: 1000, reason: "Raised for the pilot" });
    expect(await db.tenant.findUniqueOrThrow({ where: { id: f.tenant.id }, select: { tokenBudgetWarnedMonth: true } })).toEqual({ tokenBudgetWarnedMonth: null });
    await recordTokenUsage(f.tenant.id, 800);
    const notices = await db.tenantNotice.findMany({ where: { tenantId: f.tenant.id, kind: "token_budget.warning" }, orderBy: { createdAt: "asc" } });
    expect(notices.map((n) => (n.data as { budget: number }).budget)).toEqual([100, 1000]);
  });

  it("refuses bad input and unknown workspaces with clear codes", async () => {
    const f = await createTenantWithMembers();
    const api = callerFor(await createUser({ isPlatformAdmin: true }));
    await expect(api.admin.setTokenBudget({ tenantId: f.tenant.id, monthlyTokens: 0, reason: "Zero" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(api.admin.setTokenBudget({ tenantId: f.tenant.id, monthlyTokens: 1.5, reason: "Fraction" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(api.admin.setTokenBudget({ tenantId: f.tenant.id, monthlyTokens: 1000, reason: "" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(api.admin.setTokenBudget({ tenantId: "no-such-tenant", monthlyTokens: 1000, reason: "Missing" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await db.tenant.findUniqueOrThrow({ where: { id: f.tenant.id }, select: { monthlyTokenBudget: true } })).toEqual({ monthlyTokenBudget: null });
  });
});
