import "server-only";
import { db } from "~/server/db/client";
import { AppError } from "~/server/errors";
import { logger } from "~/server/infra/logger";
import { actorOf, enforceWorkloadLimit } from "~/server/infra/workload-limits";
import { metrics } from "~/server/infra/metrics";
import { assertWithinBudget } from "../budgets/token-budget";
import { admitTask } from "../admission/admission";
import type { TenantCtx } from "../context";
import { findTask, parse, queuePositionOf, requestRunOrFail, requireRole } from "./task-access";
import { sendJobEvent } from "../jobs/send";
import {
  MAX_TASK_LIST,
  TASK_SELECT,
  TASK_STEP_NAMES,
  toTaskDto,
  ZListTasksInput,
  ZSendBackInput,
  ZTaskId,
  ZUpdateDeliverableInput,
  type ListTasksInput,
  type TaskDetail,
  type TaskDto,
  type TaskListItem,
  type TaskStatus,
  type TaskStepName,
  type TaskStepStatus,
} from "./task-schemas";

/*
 * Tasks: work a persona does in the background (plan → research → draft →
 * self-review, inngest/jobs/run-task.ts) ending in a Markdown deliverable the
 * user reads, edits, accepts or sends back with feedback (a new revision).
 *
 * Status machine:
 *   queued ─run─► running ─► needs_review ─accept─► done
 *      ▲                          │
 *      └──────── sendBack ────────┘  (revision + 1, feedback stored)
 *   queued | running | needs_review ─cancel─► cancelled
 *   queued | running ─(retries exhausted)─► failed ─retry─► queued (revision + 1)
 * Every write that moves the machine is a conditional update on the status
 * (and revision) it expects, so two racing requests — or a request racing the
 * background run — cannot both win.
 *
 * Everything is tenant-scoped: another tenant's task is NOT_FOUND, exactly as
 * an id that does not exist. Viewers read; members create and act.
 */

const CANCELLABLE: TaskStatus[] = ["queued", "running", "needs_review"];

// ─── read ───────────────────────────────────────────────────────────────────

/** The tenant's tasks, newest first, with each queued task's place in the tenant's queue. */
export const listTasks = async (ctx: TenantCtx, raw: ListTasksInput = {}): Promise<{ items: TaskListItem[] }> => {
  requireRole(ctx, "VIEWER");
  const input = parse(ZListTasksInput, raw);
  const [rows, queued] = await Promise.all([
    db.task.findMany({
      where: { tenantId: ctx.tenantId, ...(input.status ? { status: input.status } : {}) },
      select: { id: true, title: true, personaKey: true, status: true, dueDate: true, revision: true, createdAt: true, updatedAt: true },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: MAX_TASK_LIST,
    }),
    // The whole queue, in order: positions count every queued task, listed or not.
    db.task.findMany({ where: { tenantId: ctx.tenantId, status: "queued" }, select: { id: true }, orderBy: [{ queuedAt: "asc" }, { id: "asc" }] }),
  ]);
  const position = new Map(queued.map((q, i) => [q.id, i + 1]));
  return {
    items: rows.map((r) => ({ ...r, status: r.status as TaskStatus, queuePosition: r.status === "queued" ? (position.get(r.id) ?? null) : null })),
  };
};

/** One task with every step of every revision (in order) and its queue position. */
export const getTask = async (ctx: TenantCtx, raw: { id: string }): Promise<TaskDetail> => {
  requireRole(ctx, "VIEWER");
  const { id } = parse(ZTaskId, raw);
  const task = await findTask(ctx, id);
  const [steps, queuePosition] = await Promise.all([
    db.taskStep.findMany({
      where: { taskId: task.id, tenantId: ctx.tenantId },
      select: { id: true, revision: true, name: true, status: true, output: true, inputTokens: true, outputTokens: true, startedAt: true, finishedAt: true, durationMs: true },
    }),
    queuePositionOf(ctx.tenantId, task),
  ]);
  const order = (n: string) => TASK_STEP_NAMES.indexOf(n as TaskStepName);
  steps.sort((a, b) => a.revision - b.revision || order(a.name) - order(b.name));
  return {
    task: toTaskDto(task),
    steps: steps.map((s) => ({ ...s, name: s.name as TaskStepName, status: s.status as TaskStepStatus })),
    queuePosition,
  };
};

// ─── actions ────────────────────────────────────────────────────────────────

/**
 * Cancels a queued, running or in-review task: the task and its running step
 * end `cancelled` at once, and `task/cancel.requested` cancels the run (the
 * engine stops before the next step; the step in flight notices and stops its
 * model call). A finished task → CONFLICT taskNotCancellable.
 */
export const cancelTask = async (ctx: TenantCtx, raw: { id: string }): Promise<TaskDto> => {
  requireRole(ctx, "MEMBER");
  const { id } = parse(ZTaskId, raw);
  const task = await findTask(ctx, id);
  const now = new Date();
  const updated = await db.$transaction(async (tx) => {
    const res = await tx.task.updateMany({
      where: { id: task.id, tenantId: ctx.tenantId, status: { in: CANCELLABLE } },
      data: { status: "cancelled", finishedAt: now },
    });
    if (res.count !== 1) return null;
    const running = await tx.taskStep.findMany({ where: { taskId: task.id, tenantId: ctx.tenantId, status: "running" }, select: { id: true, startedAt: true } });
    for (const s of running) {
      await tx.taskStep.updateMany({
        where: { id: s.id, status: "running" },
        data: { status: "cancelled", finishedAt: now, durationMs: Math.max(0, now.getTime() - s.startedAt.getTime()) },
      });
    }
    return tx.task.findFirstOrThrow({ where: { id: task.id, tenantId: ctx.tenantId }, select: TASK_SELECT });
  });
  if (!updated) throw new AppError("CONFLICT", "taskNotCancellable", `A ${task.status} task cannot be cancelled`);
  logger.info({ tenantId: ctx.tenantId, taskId: task.id, from: task.status, userId: ctx.userId }, "task cancelled");
  // Best effort: the task is already cancelled, and every step re-checks the status before it writes.
  await sendJobEvent({ name: "task/cancel.requested", data: { tenantId: ctx.tenantId, taskId: task.id } }).catch((err: unknown) =>
    logger.warn({ err, tenantId: ctx.tenantId, taskId: task.id }, "task cancel event could not be sent; the run stops at its next step"),
  );
  return toTaskDto(updated);
};

const notInReview = (status: string) => new AppError("CONFLICT", "taskNotInReview", `The task is ${status}, not waiting for review`);

/** needs_review → done. */
export const acceptTask = async (ctx: TenantCtx, raw: { id: string }): Promise<TaskDto> => {
  requireRole(ctx, "MEMBER");
  const { id } = parse(ZTaskId, raw);
  const task = await findTask(ctx, id);
  const res = await db.task.updateMany({
    where: { id: task.id, tenantId: ctx.tenantId, status: "needs_review", revision: task.revision },
    data: { status: "done", finishedAt: new Date() },
  });
  if (res.count !== 1) throw notInReview(task.status);
  logger.info({ tenantId: ctx.tenantId, taskId: task.id, revision: task.revision, userId: ctx.userId }, "task accepted");
  return toTaskDto(await findTask(ctx, task.id));
};

/**
 * needs_review → queued as the next revision, with the user's feedback; the
 * current deliverable stays on the task (the revision's plan reads it) until
 * the new review replaces it. Queues the revision's run.
 */
export const sendBackTask = async (ctx: TenantCtx, raw: { id: string; feedback: string }): Promise<TaskDto> => {
  requireRole(ctx, "MEMBER");
  await enforceWorkloadLimit("task", actorOf(ctx));
  const input = parse(ZSendBackInput, raw);
  const task = await findTask(ctx, input.id);
  if (task.status === "needs_review") await admitTask(ctx.tenantId);
  const res = await db.task.updateMany({
    where: { id: task.id, tenantId: ctx.tenantId, status: "needs_review", revision: task.revision },
    data: { status: "queued", revision: task.revision + 1, feedback: input.feedback, queuedAt: new Date(), startedAt: null, finishedAt: null, errorReason: null },
  });
  if (res.count !== 1) throw notInReview(task.status);
  metrics.tasksCreated.add(1, { "ocsuite.source": "revision" });
  logger.info({ tenantId: ctx.tenantId, taskId: task.id, revision: task.revision + 1, userId: ctx.userId }, "task sent back for a revision");
  await requestRunOrFail(ctx.tenantId, task.id, task.revision + 1);
  return toTaskDto(await findTask(ctx, task.id));
};

/** The user's edit of the deliverable, only while the task waits for review (≤ 100k characters). */
export const updateTaskDeliverable = async (ctx: TenantCtx, raw: { id: string; deliverable: string }): Promise<TaskDto> => {
  requireRole(ctx, "MEMBER");
  const input = parse(ZUpdateDeliverableInput, raw);
  const task = await findTask(ctx, input.id);
  const res = await db.task.updateMany({
    where: { id: task.id, tenantId: ctx.tenantId, status: "needs_review", revision: task.revision },
    data: { deliverable: input.deliverable },
  });
  if (res.count !== 1) throw notInReview(task.status);
  logger.info({ tenantId: ctx.tenantId, taskId: task.id, chars: input.deliverable.length, userId: ctx.userId }, "task deliverable edited");
  return toTaskDto(await findTask(ctx, task.id));
};

/**
 * failed → queued as the next revision, for a run stopped by something fixed
 * since (the month's token budget raised or rolled over, a provider key
 * replaced, a persona enabled). Steps are recorded per revision, so the failed
 * run's stay as its history; the feedback and the last deliverable are kept,
 * so a failed revision is retried as it was asked. Refused while the budget
 * is still spent (PRECONDITION_FAILED tokenBudgetExhausted: a run would fail
 * at its first model call); not failed → CONFLICT taskNotRetryable.
 */
export const retryTask = async (ctx: TenantCtx, raw: { id: string }): Promise<TaskDto> => {
  requireRole(ctx, "MEMBER");
  await enforceWorkloadLimit("task", actorOf(ctx));
  const { id } = parse(ZTaskId, raw);
  const task = await findTask(ctx, id);
  if (task.status !== "failed") throw new AppError("CONFLICT", "taskNotRetryable", `A ${task.status} task cannot be retried`);
  await assertWithinBudget(ctx.tenantId);
  await admitTask(ctx.tenantId);
  const res = await db.task.updateMany({
    where: { id: task.id, tenantId: ctx.tenantId, status: "failed", revision: task.revision },
    data: { status: "queued", revision: task.revision + 1, queuedAt: new Date(), startedAt: null, finishedAt: null, errorReason: null },
  });
  if (res.count !== 1) throw new AppError("CONFLICT", "taskNotRetryable", "The task changed meanwhile; reload it");
  logger.info({ tenantId: ctx.tenantId, taskId: task.id, revision: task.revision + 1, previousReason: task.errorReason, userId: ctx.userId }, "task retried");
  await requestRunOrFail(ctx.tenantId, task.id, task.revision + 1);
  return toTaskDto(await findTask(ctx, task.id));
};
