import { describe, expect, it } from "vitest";
import { createTenantWithMembers, tenantCtxOf } from "../../../../prisma/factories";
import { db } from "~/server/db/client";
import { decideAccessReviewItem } from "./decide-item";
import { completeAccessReview, getAccessReview, openAccessReview } from "./reviews";
import { getAccessReviewStatus, setAccessReviewInterval } from "./schedule";

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY);

const setup = async (opts: { createdDaysAgo: number }) => {
  const f = await createTenantWithMembers();
  await db.tenant.update({ where: { id: f.tenant.id }, data: { createdAt: daysAgo(opts.createdDaysAgo) } });
  return { f, owner: tenantCtxOf(f.tenant, f.owner, "OWNER") };
};

const runReview = async (owner: ReturnType<typeof tenantCtxOf>) => {
  const { id } = await openAccessReview(owner);
  for (const item of (await getAccessReview(owner, { reviewId: id })).items) await decideAccessReviewItem(owner, { reviewId: id, itemId: item.id, decision: "keep" });
  return completeAccessReview(owner, { reviewId: id });
};

describe("getAccessReviewStatus: overdue", () => {
  it("a workspace younger than the interval is not overdue; due = creation + 90 days", async () => {
    const { f, owner } = await setup({ createdDaysAgo: 89 });
    const status = await getAccessReviewStatus(owner);
    expect(status).toMatchObject({ intervalDays: 90, overdue: false, lastCompletedAt: null, openReview: null, canManage: true });
    const tenant = await db.tenant.findUniqueOrThrow({ where: { id: f.tenant.id } });
    expect(status.nextDueAt.getTime()).toBe(tenant.createdAt.getTime() + 90 * DAY);
  });

  it("never reviewed past the interval since creation: overdue, and an open review does not clear it; completing one does", async () => {
    const { owner } = await setup({ createdDaysAgo: 91 });
    expect((await getAccessReviewStatus(owner)).overdue).toBe(true);

    const { id } = await openAccessReview(owner);
    const open = await getAccessReviewStatus(owner);
    expect(open).toMatchObject({ overdue: true, openReview: { id, decided: 0, total: 4 } });
    const items = (await getAccessReview(owner, { reviewId: id })).items;
    await decideAccessReviewItem(owner, { reviewId: id, itemId: items[0]!.id, decision: "keep" });
    expect((await getAccessReviewStatus(owner)).openReview).toMatchObject({ decided: 1, total: 4 });

    for (const item of items.slice(1)) await decideAccessReviewItem(owner, { reviewId: id, itemId: item.id, decision: "keep" });
    const done = await completeAccessReview(owner, { reviewId: id });
    const after = await getAccessReviewStatus(owner);
    expect(after).toMatchObject({ overdue: false, openReview: null, lastCompletedAt: done.completedAt, nextDueAt: done.nextDueAt });
  });

  it("counts from the last completion: overdue again once the interval has passed since then", async () => {
    const { owner } = await setup({ createdDaysAgo: 400 });
    const done = await runReview(owner);
    await db.accessReview.update({ where: { id: done.id }, data: { completedAt: daysAgo(31) } });
    expect((await getAccessReviewStatus(owner)).overdue).toBe(false);
    await setAccessReviewInterval(owner, { days: 30 });
    const status = await getAccessReviewStatus(owner);
    expect(status).toMatchObject({ overdue: true, intervalDays: 30 });
    expect(await getAccessReviewStatus(owner, { now: daysAgo(2) })).toMatchObject({ overdue: false });
  });

  it("admins read the status but cannot manage; members are refused", async () => {
    const { f } = await setup({ createdDaysAgo: 1 });
    expect(await getAccessReviewStatus(tenantCtxOf(f.tenant, f.admin, "ADMIN"))).toMatchObject({ canManage: false });
    await expect(getAccessReviewStatus(tenantCtxOf(f.tenant, f.member, "MEMBER"))).rejects.toMatchObject({ code: "FORBIDDEN", reason: "roleTooLow" });
  });
});

describe("setAccessReviewInterval", () => {
  it("owners set 30–365 days, audited with from/to; out of range is intervalOutOfRange", async () => {
    const { f, owner } = await setup({ createdDaysAgo: 10 });
    const res = await setAccessReviewInterval(owner, { days: 180 });
    expect(res.intervalDays).toBe(180);
    expect((await db.tenant.findUniqueOrThrow({ where: { id: f.tenant.id } })).accessReviewIntervalDays).toBe(180);
    const ev = await db.auditEvent.findFirstOrThrow({ where: { tenantId: f.tenant.id, action: "access_review.interval_changed" } });
    expect(ev).toMatchObject({ actorId: f.owner.id, metadata: { from: 90, to: 180 } });

    for (const days of [29, 366, 45.5]) {
      await expect(setAccessReviewInterval(owner, { days })).rejects.toMatchObject({ code: "BAD_REQUEST", reason: "intervalOutOfRange" });
    }
    await expect(setAccessReviewInterval(tenantCtxOf(f.tenant, f.admin, "ADMIN"), { days: 30 })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await db.tenant.findUniqueOrThrow({ where: { id: f.tenant.id } })).accessReviewIntervalDays).toBe(180);
  });
});
