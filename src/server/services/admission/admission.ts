import "server-only";
import { env } from "~/env";
import { db } from "~/server/db/client";
import { AppError } from "~/server/errors";
import { logger } from "~/server/infra/logger";
import { metrics } from "~/server/infra/metrics";

/*
 * Admission control (issue 14): a workspace's queued + running meetings or
 * tasks are bounded, so a burst is refused up front with a clear message
 * instead of being accepted and silently delayed behind the workspace's own
 * backlog (the jobs run at most 2 meetings / 1 task at a time per workspace).
 *
 * The measure is the workspace's own rows in the domain tables — meetings in
 * queued|running, tasks in queued|running — not the job store:
 *  - it works the same with the embedded executor, self-hosted Inngest and
 *    Inngest Cloud (whose queue the app cannot read; the local tables are
 *    empty there);
 *  - it is what the user sees and can act on (cancel one in the list);
 *  - it is one indexed count: Meeting(tenantId, status), Task(tenantId,
 *    status, queuedAt), reading at most `bound` rows (LIMIT).
 * A task in needs_review is not queued work (it waits on a person), nor is a
 * finished, failed or cancelled one.
 *
 * The bound is soft by the width of a race: two requests that both count
 * bound − 1 are both admitted. That is fine for its purpose (a cap on a
 * backlog, not a billing quota); the per-user rate limits cap the burst rate.
 */

export type TWorkKind = "meeting" | "task";

/** A workspace's meetings / tasks in these states count against its bound. */
export const IN_PROGRESS: Record<TWorkKind, readonly string[]> = {
  meeting: ["queued", "running"],
  task: ["queued", "running"],
};

/** What a client may wait before trying again: a meeting or task step takes minutes, not seconds. */
export const WORK_QUEUE_FULL_RETRY_AFTER_SECONDS = 60;

export const admissionBound = (kind: TWorkKind): number =>
  kind === "meeting" ? env.ADMISSION_MAX_QUEUED_MEETINGS_PER_TENANT : env.ADMISSION_MAX_QUEUED_TASKS_PER_TENANT;

/**
 * The workspace's in-progress count, up to `cap` (the count stops there: an
 * index range scan of at most `cap` entries, whatever the backlog).
 */
export const countInProgress = async (kind: TWorkKind, tenantId: string, cap: number): Promise<number> => {
  const where = { tenantId, status: { in: [...IN_PROGRESS[kind]] } };
  return kind === "meeting" ? db.meeting.count({ where, take: cap }) : db.task.count({ where, take: cap });
};

/**
 * Refuses one more meeting / task when the workspace already has `bound` in
 * progress: TOO_MANY_REQUESTS workQueueFull with { inProgress, limit } for
 * the UI's message and Retry-After. Call it before the row is written (create)
 * or moved back to queued (resume, retry, send back).
 */
export const assertAdmitted = async (kind: TWorkKind, tenantId: string): Promise<void> => {
  const bound = admissionBound(kind);
  const inProgress = await countInProgress(kind, tenantId, bound);
  if (inProgress < bound) return;
  metrics.admissionRefused.add(1, { "ocsuite.work.kind": kind });
  logger.info({ tenantId, kind, inProgress, bound }, "admission refused: the workspace's work queue is full");
  throw new AppError(
    "TOO_MANY_REQUESTS",
    "workQueueFull",
    `This workspace already has ${inProgress} ${kind}s queued or running (the limit is ${bound}); wait for one to finish or cancel one`,
    { retryAfterSeconds: WORK_QUEUE_FULL_RETRY_AFTER_SECONDS, params: { kind, inProgress, limit: bound } },
  );
};

export const admitMeeting = (tenantId: string) => assertAdmitted("meeting", tenantId);
export const admitTask = (tenantId: string) => assertAdmitted("task", tenantId);
