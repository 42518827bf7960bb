import "server-only";
import { db } from "~/server/db/client";
import { Prisma } from "~/server/db/generated/client";
import { AppError, notFound } from "~/server/errors";
import { recordAudit } from "../audit/audit";
import type { TenantCtx } from "../context";
import { byKindThenAge, emailsOf, ITEM_SELECT, requireAdmin, requireOwner, reviewNotOpen, snapshotLines, toItem, type AccessReviewItem } from "./items";
import { addDays, currentSchedule } from "./schedule";

/*
 * Access reviews (security issue 13): an owner opens a review, which snapshots
 * who and what has access (items.ts); owners decide each line (decide-item.ts)
 * and complete the review once every line is decided, which restarts the
 * schedule (schedule.ts). One open review per tenant (a partial unique index).
 */

const HISTORY_LIMIT = 50;

const findOpen = (tenantId: string) => db.accessReview.findFirst({ where: { tenantId, status: "open" }, select: { id: true } });

const isUniqueViolation = (err: unknown) => err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";

/**
 * Opens a review with a snapshot of every member, pending invitation and
 * provider credential. When one is already open it is returned instead
 * (`created: false`): two owners pressing "Start" at once land on the same review.
 */
export const openAccessReview = async (ctx: TenantCtx): Promise<{ id: string; created: boolean }> => {
  requireOwner(ctx);
  const existing = await findOpen(ctx.tenantId);
  if (existing) return { id: existing.id, created: false };
  const [{ nextDueAt }, lines] = await Promise.all([currentSchedule(ctx.tenantId), snapshotLines(ctx.tenantId)]);
  let id: string;
  try {
    id = await db.$transaction(async (tx) => {
      const review = await tx.accessReview.create({ data: { tenantId: ctx.tenantId, dueAt: nextDueAt, openedById: ctx.userId }, select: { id: true } });
      await tx.accessReviewItem.createMany({ data: lines.map((l) => ({ ...l, reviewId: review.id, tenantId: ctx.tenantId })) });
      return review.id;
    });
  } catch (err) {
    // Lost the race against another owner (AccessReview_one_open): theirs is the review.
    const open = isUniqueViolation(err) ? await findOpen(ctx.tenantId) : null;
    if (open) return { id: open.id, created: false };
    throw err;
  }
  const count = (kind: string) => lines.filter((l) => l.kind === kind).length;
  await recordAudit({
    tenantId: ctx.tenantId,
    actorId: ctx.userId,
    actorType: "USER",
    action: "access_review.opened",
    targetType: "access_review",
    targetId: id,
    metadata: { members: count("member"), invitations: count("invitation"), providerKeys: count("provider-key"), dueAt: nextDueAt.toISOString() },
    meta: ctx.meta,
  });
  return { id, created: true };
};

type Counts = { total: number; kept: number; revoked: number; undecided: number };
const emptyCounts = (): Counts => ({ total: 0, kept: 0, revoked: 0, undecided: 0 });

const countsByReview = async (tenantId: string, reviewIds: string[]) => {
  const groups = await db.accessReviewItem.groupBy({ by: ["reviewId", "decision"], where: { tenantId, reviewId: { in: reviewIds } }, _count: { _all: true } });
  const out = new Map<string, Counts>();
  for (const g of groups) {
    const c = out.get(g.reviewId) ?? emptyCounts();
    const n = g._count._all;
    c.total += n;
    if (g.decision === "keep") c.kept += n;
    else if (g.decision === "revoke") c.revoked += n;
    else c.undecided += n;
    out.set(g.reviewId, c);
  }
  return out;
};

const REVIEW_SELECT = { id: true, status: true, dueAt: true, createdAt: true, completedAt: true, openedById: true, completedById: true } as const;
type ReviewRow = { id: string; status: string; dueAt: Date; createdAt: Date; completedAt: Date | null; openedById: string | null; completedById: string | null };

const toSummary = (r: ReviewRow, counts: Counts, emails: Map<string, string>) => ({
  id: r.id,
  status: r.status === "completed" ? ("completed" as const) : ("open" as const),
  dueAt: r.dueAt,
  openedAt: r.createdAt,
  openedBy: r.openedById ? (emails.get(r.openedById) ?? null) : null,
  completedAt: r.completedAt,
  completedBy: r.completedById ? (emails.get(r.completedById) ?? null) : null,
  counts,
});
export type AccessReviewSummary = ReturnType<typeof toSummary>;

/** The tenant's reviews, newest first (the last 50), with their decision counts. */
export const listAccessReviews = async (ctx: TenantCtx): Promise<AccessReviewSummary[]> => {
  requireAdmin(ctx);
  const rows = await db.accessReview.findMany({ where: { tenantId: ctx.tenantId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: HISTORY_LIMIT, select: REVIEW_SELECT });
  const [counts, emails] = await Promise.all([countsByReview(ctx.tenantId, rows.map((r) => r.id)), emailsOf(rows.flatMap((r) => [r.openedById, r.completedById]))]);
  return rows.map((r) => toSummary(r, counts.get(r.id) ?? emptyCounts(), emails));
};

/** One review with its lines. Another tenant's id → NOT_FOUND. */
export const getAccessReview = async (ctx: TenantCtx, input: { reviewId: string }): Promise<AccessReviewSummary & { items: AccessReviewItem[] }> => {
  requireAdmin(ctx);
  const review = await db.accessReview.findFirst({ where: { id: input.reviewId, tenantId: ctx.tenantId }, select: { ...REVIEW_SELECT, items: { select: ITEM_SELECT } } });
  if (!review) throw notFound("Access review");
  const emails = await emailsOf([review.openedById, review.completedById, ...review.items.map((i) => i.decidedById)]);
  const items = review.items.map((row) => toItem(row, ctx, emails)).sort(byKindThenAge);
  const counts: Counts = {
    total: items.length,
    kept: items.filter((i) => i.decision === "keep").length,
    revoked: items.filter((i) => i.decision === "revoke").length,
    undecided: items.filter((i) => i.decision === null).length,
  };
  return { ...toSummary(review, counts, emails), items };
};

/**
 * Completes an open review once every line is decided (PRECONDITION_FAILED
 * reviewIncomplete otherwise). The next review is due `interval` days from now.
 * One conditional UPDATE: decisions only ever go from undecided to decided, so
 * "no undecided line" cannot change under it.
 */
export const completeAccessReview = async (ctx: TenantCtx, input: { reviewId: string }) => {
  requireOwner(ctx);
  const review = await db.accessReview.findFirst({ where: { id: input.reviewId, tenantId: ctx.tenantId }, select: { id: true, status: true } });
  if (!review) throw notFound("Access review");
  if (review.status !== "open") throw reviewNotOpen();
  const completedAt = new Date();
  const { count } = await db.accessReview.updateMany({
    where: { id: review.id, tenantId: ctx.tenantId, status: "open", items: { none: { decision: null } } },
    data: { status: "completed", completedAt, completedById: ctx.userId },
  });
  const counts = (await countsByReview(ctx.tenantId, [review.id])).get(review.id) ?? emptyCounts();
  if (count === 0) {
    const now = await db.accessReview.findUniqueOrThrow({ where: { id: review.id }, select: { status: true } });
    if (now.status !== "open") throw reviewNotOpen();
    throw new AppError("PRECONDITION_FAILED", "reviewIncomplete", `${counts.undecided} line(s) of this review are not decided yet`);
  }
  const { intervalDays } = await currentSchedule(ctx.tenantId);
  const nextDueAt = addDays(completedAt, intervalDays);
  await recordAudit({
    tenantId: ctx.tenantId,
    actorId: ctx.userId,
    actorType: "USER",
    action: "access_review.completed",
    targetType: "access_review",
    targetId: review.id,
    metadata: { total: counts.total, kept: counts.kept, revoked: counts.revoked, nextDueAt: nextDueAt.toISOString() },
    meta: ctx.meta,
  });
  return { id: review.id, completedAt, nextDueAt };
};
