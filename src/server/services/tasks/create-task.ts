import "server-only";
import { db } from "~/server/db/client";
import { notFound } from "~/server/errors";
import { logger } from "~/server/infra/logger";
import { actorOf, enforceWorkloadLimit } from "~/server/infra/workload-limits";
import { metrics } from "~/server/infra/metrics";
import { clip } from "../assist/clip";
import { admitTask } from "../admission/admission";
import type { TenantCtx } from "../context";
import { assertPersonaAvailable, parse, parseDueDate, requestRunOrFail, requireRole } from "./task-access";
import { MAX_TASK_DESCRIPTION, MAX_TASK_TITLE, ZCreateFromActionItemInput, ZCreateTaskInput, type CreateTaskInput } from "./task-schemas";

// Where tasks come from: written by hand, or one click on a meeting's action
// item (see tasks.ts for the status machine they enter).

// ─── create ─────────────────────────────────────────────────────────────────

/**
 * A task written by hand. The persona must be enabled here; the due date is
 * optional and may not lie more than a day in the past (BAD_REQUEST
 * dueDateInPast). Queues the first revision's run.
 */
export const createTask = async (ctx: TenantCtx, raw: CreateTaskInput): Promise<{ id: string }> => {
  requireRole(ctx, "MEMBER");
  await enforceWorkloadLimit("task", actorOf(ctx));
  const input = parse(ZCreateTaskInput, raw);
  const personaKey = await assertPersonaAvailable(ctx.tenantId, input.personaKey);
  const dueDate = parseDueDate(input.dueDate);
  await admitTask(ctx.tenantId);
  const task = await db.task.create({
    data: { tenantId: ctx.tenantId, createdById: ctx.userId, personaKey, title: input.title, description: input.description, dueDate },
    select: { id: true, revision: true },
  });
  metrics.tasksCreated.add(1, { "ocsuite.source": "manual" });
  logger.info({ tenantId: ctx.tenantId, taskId: task.id, personaKey, userId: ctx.userId }, "task created");
  await requestRunOrFail(ctx.tenantId, task.id, task.revision);
  return { id: task.id };
};

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
  await enforceWorkloadLimit("task", actorOf(ctx));

  const personaKey = await assertPersonaAvailable(ctx.tenantId, item.ownerPersonaKey);
  await admitTask(ctx.tenantId);
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
  metrics.tasksCreated.add(1, { "ocsuite.source": "action_item" });
  logger.info({ tenantId: ctx.tenantId, taskId: task.id, actionItemId: item.id, personaKey, userId: ctx.userId }, "task created from action item");
  await requestRunOrFail(ctx.tenantId, task.id, task.revision);
  return { id: task.id, created: true };
};
