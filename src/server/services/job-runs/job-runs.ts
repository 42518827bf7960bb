import "server-only";
import { db } from "~/server/db/client";

/**
 * Recent background runs for the admin panel's Jobs page: what ran, for which
 * tenant, how it ended and how long it took, newest first, with counts per
 * status so an operator sees a pile-up (QUEUED) or a failure wave at a glance.
 * Reads the local executor's tables (the Inngest Cloud dashboard is the
 * equivalent when a cloud engine is configured).
 */
export const RUN_STATUSES = ["QUEUED", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"] as const;
export type TRunStatus = (typeof RUN_STATUSES)[number];

export const listJobRuns = async (input: { status?: TRunStatus; functionId?: string; tenantId?: string; take: number; cursor?: string }) => {
  const take = Math.min(Math.max(input.take, 1), 200);
  const where = {
    ...(input.status ? { status: input.status } : {}),
    ...(input.functionId ? { functionId: input.functionId } : {}),
    ...(input.tenantId ? { tenantId: input.tenantId } : {}),
  };
  const [rows, counts] = await Promise.all([
    db.inngestRun.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: take + 1,
      ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
      select: { id: true, functionId: true, status: true, tenantId: true, attempts: true, createdAt: true, startedAt: true, finishedAt: true },
    }),
    db.inngestRun.groupBy({ by: ["status"], _count: { _all: true } }),
  ]);
  const page = rows.slice(0, take);
  return {
    items: page.map((r) => ({
      ...r,
      durationMs: r.startedAt && r.finishedAt ? r.finishedAt.getTime() - r.startedAt.getTime() : null,
    })),
    nextCursor: rows.length > take ? (page.at(-1)?.id ?? null) : null,
    counts: Object.fromEntries(RUN_STATUSES.map((s) => [s, counts.find((c) => c.status === s)?._count._all ?? 0])) as Record<TRunStatus, number>,
  };
};
