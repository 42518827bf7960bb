import { describe, expect, it } from "vitest";
import { createTenant, createTenantWithMembers } from "../../../../prisma/factories";
import { db } from "~/server/db/client";
import { askPersona, resolvePersona } from "../assist/persona-call";
import { assertWithinBudget, invalidateTokenBudget, recordTokenUsage, TOKEN_BUDGET_WARNING_KIND, TokenBudgetExhaustedError, tokensUsed } from "./token-budget";
import { getWorkspaceTokenBudget } from "./workspace-budget";

// Against the real database: the upsert increment, the 80 % notice's
// exactly-once claim, the check before a model call, and the UTC month.

/** Sets the budget as admin.setTokenBudget does (row + this process's cache), without the audit. */
const setBudget = async (tenantId: string, monthlyTokens: number | null) => {
  await db.tenant.update({ where: { id: tenantId }, data: { monthlyTokenBudget: monthlyTokens, tokenBudgetWarnedMonth: null } });
  invalidateTokenBudget(tenantId);
};
const usageRows = (tenantId: string) => db.tenantTokenUsage.findMany({ where: { tenantId }, orderBy: { month: "asc" }, select: { month: true, tokens: true } });
const warnings = (tenantId: string) => db.tenantNotice.findMany({ where: { tenantId, kind: TOKEN_BUDGET_WARNING_KIND }, orderBy: { createdAt: "asc" } });

describe("recordTokenUsage", () => {
  it("counts 50 concurrent increments exactly, in one row for the month", async () => {
    const t = await createTenant();
    const amounts = Array.from({ length: 50 }, (_, i) => 100 + i);
    const totals = await Promise.all(amounts.map((n) => recordTokenUsage(t.id, n)));
    const sum = amounts.reduce((a, b) => a + b, 0);
    const rows = await usageRows(t.id);
    expect(rows).toEqual([{ month: new Date().toISOString().slice(0, 7), tokens: sum }]);
    // Each call saw its own step of the running total: no two got the same one.
    expect(new Set(totals).size).toBe(50);
    expect(Math.max(...totals)).toBe(sum);
  });

  it("saturates at the column's limit instead of failing the write", async () => {
    const t = await createTenant();
    await recordTokenUsage(t.id, 2_000_000_000);
    expect(await recordTokenUsage(t.id, 2_000_000_000)).toBe(2_147_483_647);
  });

  it("writes the owners' 80 % notice exactly once when 20 calls cross the line at the same time", async () => {
    const t = await createTenant();
    await setBudget(t.id, 1000);
    await recordTokenUsage(t.id, 790);
    expect(await warnings(t.id)).toHaveLength(0);
    // Every one of these lands at or over 800: all 20 try to send the notice.
    await Promise.all(Array.from({ length: 20 }, () => recordTokenUsage(t.id, 10)));
    const sent = await warnings(t.id);
    expect(sent).toHaveLength(1);
    const month = new Date().toISOString().slice(0, 7);
    expect(sent[0]!.data).toMatchObject({ month, budget: 1000, percent: 80 });
    expect((sent[0]!.data as { used: number }).used).toBeGreaterThanOrEqual(800);
    expect(await db.tenant.findUniqueOrThrow({ where: { id: t.id }, select: { tokenBudgetWarnedMonth: true } })).toEqual({ tokenBudgetWarnedMonth: month });
    // Later calls in the month send nothing more.
    await recordTokenUsage(t.id, 50);
    expect(await warnings(t.id)).toHaveLength(1);
  });

  it("sends no notice for an unlimited workspace, however much it uses", async () => {
    const t = await createTenant();
    await recordTokenUsage(t.id, 5_000_000);
    expect(await warnings(t.id)).toHaveLength(0);
  });
});

describe("assertWithinBudget", () => {
  it("lets calls through below the budget and refuses at it, with the reason and the reset date", async () => {
    const t = await createTenant();
    await setBudget(t.id, 500);
    await recordTokenUsage(t.id, 499);
    await expect(assertWithinBudget(t.id)).resolves.toBeUndefined();
    await recordTokenUsage(t.id, 1);
    const err = await assertWithinBudget(t.id).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TokenBudgetExhaustedError);
    const now = new Date();
    const reset = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    expect(err).toMatchObject({ code: "PRECONDITION_FAILED", reason: "tokenBudgetExhausted", budget: 500, used: 500, resetsAt: reset });
    expect((err as TokenBudgetExhaustedError).retryAfterSeconds).toBeGreaterThan(0);
    expect((err as Error).message).toContain(reset.toISOString());
  });

  it("never refuses an unlimited workspace", async () => {
    const t = await createTenant();
    await recordTokenUsage(t.id, 10_000_000);
    await expect(assertWithinBudget(t.id)).resolves.toBeUndefined();
  });

  it("reads the budget from a short cache that an admin's change invalidates", async () => {
    const t = await createTenant();
    await recordTokenUsage(t.id, 100);
    await assertWithinBudget(t.id); // caches "unlimited"
    // A change that bypasses setTokenBudget is not seen until the entry expires…
    await db.tenant.update({ where: { id: t.id }, data: { monthlyTokenBudget: 50 } });
    await expect(assertWithinBudget(t.id)).resolves.toBeUndefined();
    // …setTokenBudget invalidates it, so the next call is refused at once.
    invalidateTokenBudget(t.id);
    await expect(assertWithinBudget(t.id)).rejects.toMatchObject({ reason: "tokenBudgetExhausted" });
  });

  it("starts over when the UTC month rolls over (injected clock), and warns again in the new month", async () => {
    const t = await createTenant();
    await setBudget(t.id, 1000);
    const lastMoment = new Date("2031-01-31T23:59:59.999Z");
    const nextMonth = new Date("2031-02-01T00:00:00.000Z");
    await recordTokenUsage(t.id, 1000, { now: lastMoment });
    const err = await assertWithinBudget(t.id, { now: lastMoment }).catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: "tokenBudgetExhausted", resetsAt: nextMonth, retryAfterSeconds: 1 });

    await expect(assertWithinBudget(t.id, { now: nextMonth })).resolves.toBeUndefined();
    expect(await tokensUsed(t.id, nextMonth)).toBe(0);
    await recordTokenUsage(t.id, 850, { now: nextMonth });
    expect(await usageRows(t.id)).toEqual([
      { month: "2031-01", tokens: 1000 },
      { month: "2031-02", tokens: 850 },
    ]);
    // One notice per month: January's, then February's.
    expect((await warnings(t.id)).map((n) => (n.data as { month: string }).month)).toEqual(["2031-01", "2031-02"]);
    // The owners' banner only offers the current month's notice.
    const owner = await getWorkspaceTokenBudget({ tenantId: t.id, role: "OWNER" }, { now: nextMonth });
    expect(owner).toMatchObject({ month: "2031-02", used: 850, monthlyTokens: 1000, exhausted: false, warning: true });
    expect(owner.warningNoticeId).toBe((await warnings(t.id))[1]!.id);
    expect((await getWorkspaceTokenBudget({ tenantId: t.id, role: "MEMBER" }, { now: nextMonth })).warningNoticeId).toBeNull();
  });
});

describe("the gateway and persona calls", () => {
  it("counts each recorded model call's input + output tokens, and refuses the next call once the budget is spent", async () => {
    const f = await createTenantWithMembers();
    const persona = await resolvePersona({ tenantId: f.tenant.id, userId: f.member.id, personaKey: "cfo" });
    const ask = () => askPersona({ tenantId: f.tenant.id, userId: f.member.id, persona, messages: [{ role: "user", content: "How much cash do we have left this quarter?" }] });
    await ask();
    const calls = await db.llmCall.findMany({ where: { tenantId: f.tenant.id }, select: { inputTokens: true, outputTokens: true } });
    expect(calls).toHaveLength(1);
    const spent = (calls[0]!.inputTokens ?? 0) + (calls[0]!.outputTokens ?? 0);
    expect(spent).toBeGreaterThan(0);
    expect(await tokensUsed(f.tenant.id, new Date())).toBe(spent);

    // A budget the first call already used up: the next one never reaches the model.
    await setBudget(f.tenant.id, spent);
    await expect(ask()).rejects.toMatchObject({ code: "PRECONDITION_FAILED", reason: "tokenBudgetExhausted" });
    expect(await db.llmCall.count({ where: { tenantId: f.tenant.id } })).toBe(1);
    const banner = await getWorkspaceTokenBudget({ tenantId: f.tenant.id, role: "VIEWER" });
    expect(banner).toMatchObject({ exhausted: true, used: spent, monthlyTokens: spent, warningNoticeId: null });
  });
});
