import "server-only";
import { z } from "zod";
import { db } from "~/server/db/client";
import type { Prisma } from "~/server/db/generated/client";
import { AppError, forbidden, notFound } from "~/server/errors";
import { logger } from "~/server/infra/logger";
import { metrics } from "~/server/infra/metrics";
import { hasRole, type TRole } from "~/lib/roles";
import type { TenantCtx } from "../context";
import { sendJobEvent } from "../jobs/send";
import { isPersonaKey, type PersonaKey } from "../llm/personas";

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
 *   queued | running ─(retries exhausted)─► failed
 * Every write that moves the machine is a conditional update on the status
 * (and revision) it expects, so two racing requests — or a request racing the
 * background run — cannot both win.
 *
 * Everything is tenant-scoped: another tenant's task is NOT_FOUND, exactly as
 * an id that does not exist. Viewers read; members create and act.
 */

export const TASK_STATUSES = ["queued", "running", "needs_review", "done", "failed", "cancelled"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const TASK_STEP_NAMES = ["plan", "research", "draft", "review"] as const;
export type TaskStepName = (typeof TASK_STEP_NAMES)[number];
export const TASK_STEP_STATUSES = ["running", "complete", "failed", "cancelled"] as const;
export type TaskStepStatus = (typeof TASK_STEP_STATUSES)[number];

export const MAX_TASK_TITLE = 120;
export const MAX_TASK_DESCRIPTION = 4000;
export const MAX_TASK_FEEDBACK = 4000;
export const MAX_DELIVERABLE_CHARS = 100_000;
/** A due date may be up to a day in the past (time zones: "today" somewhere is yesterday in UTC). */
export const DUE_DATE_GRACE_MS = 24 * 60 * 60 * 1000;
/** The list shows the newest tasks first, at most this many. */
export const MAX_TASK_LIST = 200;

const CANCELLABLE: TaskStatus[] = ["queued", "running", "needs_review"];

// ─── input schemas (the router re-exports them) ─────────────────────────────

const ZId = z.string().trim().min(1).max(64);
/** "2026-12-01" or a full ISO timestamp with offset. */
export const ZDueDate = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

export const ZCreateTaskInput = z.object({
  personaKey: z.string().trim().min(1).max(40),
  title: z.string().trim().min(1).max(MAX_TASK_TITLE),
  description: z.string().trim().min(1).max(MAX_TASK_DESCRIPTION),
  dueDate: ZDueDate.nullish(),
});
export type CreateTaskInput = z.input<typeof ZCreateTaskInput>;

export const ZCreateFromActionItemInput = z.object({ actionItemId: ZId });
export const ZTaskId = z.object({ id: ZId });
export const ZListTasksInput = z.object({ status: z.enum(TASK_STATUSES).optional() });
export type ListTasksInput = z.input<typeof ZListTasksInput>;
export const ZSendBackInput = z.object({ id: ZId, feedback: z.string().trim().min(1).max(MAX_TASK_FEEDBACK) });
export const ZUpdateDeliverableInput = z.object({ id: ZId, deliverable: z.string().max(MAX_DELIVERABLE_CHARS) });

// ─── DTOs ───────────────────────────────────────────────────────────────────

export type TaskListItem = {
  id: string;
  title: string;
  personaKey: string;
  status: TaskStatus;
  dueDate: Date | null;
  queuePosition: number | null;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
};

export type TaskDto = {
  id: string;
  personaKey: string;
  title: string;
  description: string;
  dueDate: Date | null;
  status: TaskStatus;
  errorReason: string | null;
  deliverable: string | null;
  feedback: string | null;
  revision: number;
  sourceActionItemId: string | null;
  createdById: string | null;
  inputTokens: number;
  outputTokens: number;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

export type TaskStepDto = {
  id: string;
  revision: number;
  name: TaskStepName;
  status: TaskStepStatus;
  output: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  startedAt: Date;
  finishedAt: Date | null;
  durationMs: number | null;
};

export type TaskDetail = { task: TaskDto; steps: TaskStepDto[]; queuePosition: number | null };

const TASK_SELECT = {
  id: true,
  personaKey: true,
  title: true,
  description: true,
  dueDate: true,
  status: true,
  errorReason: true,
  deliverable: true,
  feedback: true,
  revision: true,
  sourceActionItemId: true,
  createdById: true,
  inputTokens: true,
  outputTokens: true,
  queuedAt: true,
  startedAt: true,
  finishedAt: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.TaskSelect;

type TaskRow = Prisma.TaskGetPayload<{ select: typeof TASK_SELECT }>;

const toTaskDto = (r: TaskRow): TaskDto => ({ ...r, status: r.status as TaskStatus });

// ─── helpers ────────────────────────────────────────────────────────────────

type Scope = Pick<TenantCtx, "tenantId" | "userId" | "role">;

/** The router already checks the role; services re-check so no other caller can skip it. */
const requireRole = (ctx: Scope, min: TRole) => {
  if (!hasRole(ctx.role, min)) throw forbidden("roleTooLow", `This needs the ${min} role or higher`);
};

const invalid = (message: string) => new AppError("BAD_REQUEST", "invalidInput", message);

const parse = <S extends z.ZodType>(schema: S, raw: unknown): z.output<S> => {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw invalid(z.prettifyError(parsed.error));
  return parsed.data;
};

/**
 * The persona must be one of ours and enabled in this tenant. Unknown key →
 * BAD_REQUEST invalidInput; disabled → PRECONDITION_FAILED personaDisabled
 * (the same reason chat uses).
 */
export const assertPersonaAvailable = async (tenantId: string, key: string): Promise<PersonaKey> => {
  if (!isPersonaKey(key)) throw invalid(`Unknown persona "${key.slice(0, 40)}"`);
  const row = await db.tenantPersona.findUnique({ where: { tenantId_key: { tenantId, key } }, select: { enabled: true } });
  if (row && !row.enabled) throw new AppError("PRECONDITION_FAILED", "personaDisabled", "This persona is disabled in this workspace");
  return key;
};

const parseDueDate = (raw: string | null | undefined, now = Date.now()): Date | null => {
  if (!raw) return null;
  // A bare date is that day (UTC midnight); a timestamp is taken as given.
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00.000Z` : raw);
  if (Number.isNaN(d.getTime())) throw invalid("The due date is not a valid date");
  if (d.getTime() < now - DUE_DATE_GRACE_MS) throw new AppError("BAD_REQUEST", "dueDateInPast", "The due date is in the past");
  return d;
};

const findTask = async (ctx: Scope, id: string): Promise<TaskRow> => {
  const row = await db.task.findFirst({ where: { id, tenantId: ctx.tenantId }, select: TASK_SELECT });
  if (!row) throw notFound("Task");
  return row;
};

/** 1 + the tenant's queued tasks ahead of this one (earlier queuedAt; the id breaks ties), or null when it is not queued. */
const queuePositionOf = async (tenantId: string, t: { id: string; status: string; queuedAt: Date }): Promise<number | null> => {
  if (t.status !== "queued") return null;
  const ahead = await db.task.count({
    where: { tenantId, status: "queued", OR: [{ queuedAt: { lt: t.queuedAt } }, { queuedAt: t.queuedAt, id: { lt: t.id } }] },
  });
  return ahead + 1;
};

const requestRun = (tenantId: string, taskId: string, revision: number) => sendJobEvent({ name: "task/run.requested", data: { tenantId, taskId, revision } });

/**
 * The run event is sent after the commit. When the engine cannot be reached the
 * task would sit queued forever, so it is marked failed (jobsUnavailable) and
 * the caller gets the SERVICE_UNAVAILABLE error.
 */
const requestRunOrFail = async (tenantId: string, taskId: string, revision: number) => {
  try {
    await requestRun(tenantId, taskId, revision);
  } catch (err) {
    await db.task.updateMany({
      where: { id: taskId, tenantId, revision, status: "queued" },
      data: { status: "failed", errorReason: "jobsUnavailable", finishedAt: new Date() },
    });
    logger.error({ err, tenantId, taskId, revision }, "task run could not be requested");
    throw err;
  }
};

// ─── create ─────────────────────────────────────────────────────────────────

/**
 * A task written by hand. The persona must be enabled here; the due date is
 * optional and may not lie more than a day in the past (BAD_REQUEST
 * dueDateInPast). Queues the first revision's run.
 */
export const createTask = async (ctx: TenantCtx, raw: CreateTaskInput): Promise<{ id: string }> => {
  requireRole(ctx, "MEMBER");
  const input = parse(ZCreateTaskInput, raw);
  const personaKey = await assertPersonaAvailable(ctx.tenantId, input.personaKey);
  const dueDate = parseDueDate(input.dueDate);
  const task = await db.task.create({
    data: { tenantId: ctx.tenantId, createdById: ctx.userId, personaKey, title: input.title, description: input.description, dueDate },
    select: { id: true, revision: true },
  });
  metrics.tasksCreated.inc({ source: "manual" });
  logger.info({ tenantId: ctx.tenantId, taskId: task.id, personaKey, userId: ctx.userId }, "task created");
  await requestRunOrFail(ctx.tenantId, task.id, task.revision);
  return { id: task.id };
};

const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1).trimEnd()}…`);

/** "Review the Q3 budget." → the title (first line, at most 120 chars). */
export const titleFromDescription = (description: string) => clip(description.split("\n")[0]!.replace(/\s+/g, " ").trim() || "Action item", MAX_TASK_TITLE);

/**
 * One click on a meeting's action item. Idempotent: the item's task when it
 * already has one. The task and the item's link to it (ActionItem.taskId,
 * Task.sourceActionItemId) are written in one transaction holding the item's
 * row lock, so of two racing clicks one creates and the other gets the same
 * task back. The task's description carries the meeting's context so the
 * persona knows where it came from.
 */
export const createTaskFromActionItem = async (ctx: TenantCtx, raw: { actionItemId: string }): Promise<{ id: string; created: boolean }> => {
  requireRole(ctx, "MEMBER");
  const input = parse(ZCreateFromActionItemInput, raw);
  const item = await db.actionItem.findFirst({
    where: { id: input.actionItemId, tenantId: ctx.tenantId },
    select: { id: true, taskId: true, itemIndex: true, ownerPersonaKey: true, description: true, dueDate: true, meeting: { select: { title: true, agenda: true } } },
  });
  if (!item) throw notFound("Action item");
  if (item.taskId) return { id: item.taskId, created: false };

  const personaKey = await assertPersonaAvailable(ctx.tenantId, item.ownerPersonaKey);
  const agenda = Array.isArray(item.meeting.agenda) ? (item.meeting.agenda as unknown[]) : [];
  const agendaItem = typeof agenda[item.itemIndex] === "string" ? (agenda[item.itemIndex] as string) : null;
  const origin = `From the board meeting "${item.meeting.title}"${agendaItem ? `, agenda item ${item.itemIndex + 1}: ${agendaItem}` : ""}.`;
  const description = clip(`${item.description.trim()}\n\n${origin}`, MAX_TASK_DESCRIPTION);

  // The item's row is locked for the transaction, so simultaneous clicks queue up
  // here and every one after the first sees its task.
  const outcome = await db.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ taskId: string | null }[]>`SELECT "taskId" FROM "ActionItem" WHERE "id" = ${item.id} AND "tenantId" = ${ctx.tenantId} FOR UPDATE`;
    if (!locked) throw notFound("Action item");
    if (locked.taskId) return { id: locked.taskId, revision: 1, created: false };
    const created = await tx.task.create({
      data: {
        tenantId: ctx.tenantId,
        createdById: ctx.userId,
        personaKey,
        title: titleFromDescription(item.description),
        description,
        dueDate: item.dueDate,
        sourceActionItemId: item.id,
      },
      select: { id: true, revision: true },
    });
    await tx.actionItem.update({ where: { id: item.id }, data: { taskId: created.id } });
    return { ...created, created: true };
  });
  if (!outcome.created) return { id: outcome.id, created: false };
  const task = outcome;
  metrics.tasksCreated.inc({ source: "action_item" });
  logger.info({ tenantId: ctx.tenantId, taskId: task.id, actionItemId: item.id, personaKey, userId: ctx.userId }, "task created from action item");
  await requestRunOrFail(ctx.tenantId, task.id, task.revision);
  return { id: task.id, created: true };
};

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
  const input = parse(ZSendBackInput, raw);
  const task = await findTask(ctx, input.id);
  const res = await db.task.updateMany({
    where: { id: task.id, tenantId: ctx.tenantId, status: "needs_review", revision: task.revision },
    data: { status: "queued", revision: task.revision + 1, feedback: input.feedback, queuedAt: new Date(), startedAt: null, finishedAt: null, errorReason: null },
  });
  if (res.count !== 1) throw notInReview(task.status);
  metrics.tasksCreated.inc({ source: "revision" });
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
