import { z } from "zod";
import type { Prisma } from "~/server/db/generated/client";

// What a task looks like from outside: its statuses and limits, the input
// schemas (the router re-exports them) and the DTOs the UI reads.

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

export const TASK_SELECT = {
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

export type TaskRow = Prisma.TaskGetPayload<{ select: typeof TASK_SELECT }>;

export const toTaskDto = (r: TaskRow): TaskDto => ({ ...r, status: r.status as TaskStatus });
