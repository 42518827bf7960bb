import "server-only";
import { db } from "~/server/db/client";
import { AppError } from "~/server/errors";
import { recordAudit } from "../audit/audit";
import type { TenantCtx } from "../context";
import { requireAdmin, requireOwner } from "./items";

/*
 * When a workspace's access must be reviewed again: every `accessReviewIntervalDays`
 * (owners choose 30–365, default 90) counted from the last completed review, or
 * from the workspace's creation before the first one. Past that date the
 * workspace is overdue until a review is completed; an open review does not
 * stop the clock, finishing it does.
 */

export const INTERVAL_DAYS = { min: 30, max: 365 } as const;
const DAY_MS = 86_400_000;

export const addDays = (from: Date, days: number) => new Date(from.getTime() + days * DAY_MS);

/** The tenant's interval, last completion and the date the next review is due. */
export const currentSchedule = async (tenantId: string) => {
  const [tenant, last] = await Promise.all([
    db.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { createdAt: true, accessReviewIntervalDays: true } }),
    db.accessReview.findFirst({ where: { tenantId, status: "completed" }, orderBy: { completedAt: "desc" }, select: { completedAt: true } }),
  ]);
  const lastCompletedAt = last?.completedAt ?? null;
  return {
    intervalDays: tenant.accessReviewIntervalDays,
    lastCompletedAt,
    nextDueAt: addDays(lastCompletedAt ?? tenant.createdAt, tenant.accessReviewIntervalDays),
  };
};

export type AccessReviewStatus = {
  intervalDays: number;
  lastCompletedAt: Date | null;
  nextDueAt: Date;
  overdue: boolean;
  openReview: { id: string; openedAt: Date; total: number; decided: number } | null;
  /** Whether the caller may open, decide and complete reviews (owners). */
  canManage: boolean;
};

/** For the settings page and the layout's overdue notice (owners and admins; `opts.now` for tests). */
export const getAccessReviewStatus = async (ctx: TenantCtx, opts: { now?: Date } = {}): Promise<AccessReviewStatus> => {
  requireAdmin(ctx);
  const now = opts.now ?? new Date();
  const [schedule, open] = await Promise.all([
    currentSchedule(ctx.tenantId),
    db.accessReview.findFirst({ where: { tenantId: ctx.tenantId, status: "open" }, select: { id: true, createdAt: true } }),
  ]);
  // Two counts by reviewId, not `_count: { items }`: Prisma's relation count aggregates every
  // tenant's items before joining, a sequential scan (tests/query-plans.test.ts).
  const [total, decided] = open
    ? await Promise.all([
        db.accessReviewItem.count({ where: { tenantId: ctx.tenantId, reviewId: open.id } }),
        db.accessReviewItem.count({ where: { tenantId: ctx.tenantId, reviewId: open.id, decision: { not: null } } }),
      ])
    : [0, 0];
  return {
    ...schedule,
    overdue: now.getTime() >= schedule.nextDueAt.getTime(),
    openReview: open ? { id: open.id, openedAt: open.createdAt, total, decided } : null,
    canManage: ctx.role === "OWNER",
  };
};

/** Owners set how often access is reviewed (whole days, 30–365). Audited as access_review.interval_changed. */
export const setAccessReviewInterval = async (ctx: TenantCtx, input: { days: number }) => {
  requireOwner(ctx);
  if (!Number.isInteger(input.days) || input.days < INTERVAL_DAYS.min || input.days > INTERVAL_DAYS.max) {
    throw new AppError("BAD_REQUEST", "intervalOutOfRange", `The interval must be ${INTERVAL_DAYS.min}–${INTERVAL_DAYS.max} days`);
  }
  const before = await db.tenant.findUniqueOrThrow({ where: { id: ctx.tenantId }, select: { accessReviewIntervalDays: true } });
  if (before.accessReviewIntervalDays !== input.days) {
    await db.tenant.update({ where: { id: ctx.tenantId }, data: { accessReviewIntervalDays: input.days } });
    await recordAudit({
      tenantId: ctx.tenantId,
      actorId: ctx.userId,
      actorType: "USER",
      action: "access_review.interval_changed",
      targetType: "tenant",
      targetId: ctx.tenantId,
      metadata: { from: before.accessReviewIntervalDays, to: input.days },
      meta: ctx.meta,
    });
  }
  const schedule = await currentSchedule(ctx.tenantId);
  return { intervalDays: schedule.intervalDays, nextDueAt: schedule.nextDueAt };
};
