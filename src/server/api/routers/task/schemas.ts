import { z } from "zod";
import {
  TASK_STATUSES,
  TASK_STEP_NAMES,
  TASK_STEP_STATUSES,
  ZCreateFromActionItemInput,
  ZCreateTaskInput,
  ZListTasksInput,
  ZSendBackInput,
  ZTaskId,
  ZUpdateDeliverableInput,
} from "~/server/services/tasks/task-schemas";

export { ZCreateFromActionItemInput, ZCreateTaskInput, ZListTasksInput, ZSendBackInput, ZTaskId, ZUpdateDeliverableInput };

export const ZTaskCreated = z.object({ id: z.string() });

export const ZTaskListItem = z.strictObject({
  id: z.string(),
  title: z.string(),
  personaKey: z.string(),
  status: z.enum(TASK_STATUSES),
  dueDate: z.date().nullable(),
  queuePosition: z.number().int().positive().nullable(),
  revision: z.number().int().positive(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export const ZListTasksOutput = z.object({ items: z.array(ZTaskListItem) });

export const ZTask = z.strictObject({
  id: z.string(),
  personaKey: z.string(),
  title: z.string(),
  description: z.string(),
  dueDate: z.date().nullable(),
  status: z.enum(TASK_STATUSES),
  errorReason: z.string().nullable(),
  deliverable: z.string().nullable(),
  feedback: z.string().nullable(),
  revision: z.number().int().positive(),
  sourceActionItemId: z.string().nullable(),
  createdById: z.string().nullable(),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  queuedAt: z.date(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

export const ZTaskStep = z.strictObject({
  id: z.string(),
  revision: z.number().int().positive(),
  name: z.enum(TASK_STEP_NAMES),
  status: z.enum(TASK_STEP_STATUSES),
  output: z.string().nullable(),
  inputTokens: z.number().int().nullable(),
  outputTokens: z.number().int().nullable(),
  startedAt: z.date(),
  finishedAt: z.date().nullable(),
  durationMs: z.number().int().nullable(),
});

export const ZTaskDetail = z.object({ task: ZTask, steps: z.array(ZTaskStep), queuePosition: z.number().int().positive().nullable() });
