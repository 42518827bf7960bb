import { createTRPCRouter, tenantProcedure } from "~/server/api/trpc";
import { createTask, createTaskFromActionItem } from "~/server/services/tasks/create-task";
import { acceptTask, cancelTask, getTask, listTasks, retryTask, sendBackTask, updateTaskDeliverable } from "~/server/services/tasks/tasks";
import {
  ZCreateFromActionItemInput,
  ZCreateTaskInput,
  ZListTasksInput,
  ZListTasksOutput,
  ZSendBackInput,
  ZTask,
  ZTaskCreated,
  ZTaskDetail,
  ZTaskId,
  ZUpdateDeliverableInput,
} from "./schemas";

/**
 * Tasks personas execute in the background (plan → research → draft → review).
 * Viewers read; members create (by hand or from a meeting's action item),
 * cancel, accept, edit the deliverable, send it back with feedback, and retry
 * a failed one.
 */
export const taskRouter = createTRPCRouter({
  create: tenantProcedure("MEMBER").input(ZCreateTaskInput).output(ZTaskCreated).mutation(async ({ ctx, input }) => createTask(ctx.tenant, input)),
  createFromActionItem: tenantProcedure("MEMBER")
    .input(ZCreateFromActionItemInput)
    .output(ZTaskCreated)
    .mutation(async ({ ctx, input }) => ({ id: (await createTaskFromActionItem(ctx.tenant, input)).id })),
  list: tenantProcedure("VIEWER").input(ZListTasksInput).output(ZListTasksOutput).query(({ ctx, input }) => listTasks(ctx.tenant, input)),
  get: tenantProcedure("VIEWER").input(ZTaskId).output(ZTaskDetail).query(({ ctx, input }) => getTask(ctx.tenant, input)),
  cancel: tenantProcedure("MEMBER").input(ZTaskId).output(ZTask).mutation(({ ctx, input }) => cancelTask(ctx.tenant, input)),
  accept: tenantProcedure("MEMBER").input(ZTaskId).output(ZTask).mutation(({ ctx, input }) => acceptTask(ctx.tenant, input)),
  sendBack: tenantProcedure("MEMBER").input(ZSendBackInput).output(ZTask).mutation(({ ctx, input }) => sendBackTask(ctx.tenant, input)),
  retry: tenantProcedure("MEMBER").input(ZTaskId).output(ZTask).mutation(({ ctx, input }) => retryTask(ctx.tenant, input)),
  updateDeliverable: tenantProcedure("MEMBER").input(ZUpdateDeliverableInput).output(ZTask).mutation(({ ctx, input }) => updateTaskDeliverable(ctx.tenant, input)),
});
