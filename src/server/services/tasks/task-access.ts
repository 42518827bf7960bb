import "server-only";
import { z } from "zod";
import { hasRole, type TRole } from "~/lib/roles";
import { db } from "~/server/db/client";
import { AppError, forbidden, notFound } from "~/server/errors";
import { logger } from "~/server/infra/logger";
import type { TenantCtx } from "../context";
import { sendJobEvent } from "../jobs/send";
import { isPersonaKey, type PersonaKey } from "../personas/templates";
import { DUE_DATE_GRACE_MS, TASK_SELECT, type TaskRow } from "./task-schemas";

// What every task operation checks before it acts (role, input, persona, the
// task itself) and how it asks for a run.

export type Scope = Pick<TenantCtx, "tenantId" | "userId" | "role">;

/** The router already checks the role; services re-check so no other caller can skip it. */
export const requireRole = (ctx: Scope, min: TRole) => {
  if (!hasRole(ctx.role, min)) throw forbidden("roleTooLow", `This needs the ${min} role or higher`);
};

export const invalid = (message: string) => new AppError("BAD_REQUEST", "invalidInput", message);

export const parse = <S extends z.ZodType>(schema: S, raw: unknown): z.output<S> => {
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

export const parseDueDate = (raw: string | null | undefined, now = Date.now()): Date | null => {
  if (!raw) return null;
  // A bare date is that day (UTC midnight); a timestamp is taken as given.
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00.000Z` : raw);
  if (Number.isNaN(d.getTime())) throw invalid("The due date is not a valid date");
  if (d.getTime() < now - DUE_DATE_GRACE_MS) throw new AppError("BAD_REQUEST", "dueDateInPast", "The due date is in the past");
  return d;
};

export const findTask = async (ctx: Scope, id: string): Promise<TaskRow> => {
  const row = await db.task.findFirst({ where: { id, tenantId: ctx.tenantId }, select: TASK_SELECT });
  if (!row) throw notFound("Task");
  return row;
};

/** 1 + the tenant's queued tasks ahead of this one (earlier queuedAt; the id breaks ties), or null when it is not queued. */
export const queuePositionOf = async (tenantId: string, t: { id: string; status: string; queuedAt: Date }): Promise<number | null> => {
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
export const requestRunOrFail = async (tenantId: string, taskId: string, revision: number) => {
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
