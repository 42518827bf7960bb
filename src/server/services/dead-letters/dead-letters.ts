import { db } from "~/server/db/client";
import type { Prisma } from "~/server/db/generated/client";
import { AppError } from "~/server/errors";
import { recordAudit } from "~/server/services/audit/audit";
import type { RequestMeta } from "~/server/services/context";
import { sendJobEvent } from "../jobs/send";

// Dead letters: runs that failed for good (written by the engine, see
// inngest/local/executor.ts). Platform admins list, inspect, replay and
// discard them (src/server/api/routers/admin); every admin call is audited on
// the platform chain by platformAdminProcedure, and replay/discard also append
// to the dead letter's tenant chain when it has a tenant.

export const DEAD_LETTER_STATUSES = ["open", "replayed", "discarded"] as const;
export type TDeadLetterStatus = (typeof DEAD_LETTER_STATUSES)[number];

type Row = Awaited<ReturnType<typeof db.inngestDeadLetter.findUniqueOrThrow>>;

const statusOf = (r: Pick<Row, "replayedAt" | "discardedAt">): TDeadLetterStatus => (r.discardedAt ? "discarded" : r.replayedAt ? "replayed" : "open");

const summary = (r: Row) => ({
  id: r.id,
  functionId: r.functionId,
  runId: r.runId,
  eventId: r.eventId,
  eventName: r.eventName,
  tenantId: r.tenantId,
  errorName: r.errorName,
  errorMessage: r.errorMessage,
  attempts: r.attempts,
  status: statusOf(r),
  createdAt: r.createdAt,
  replayedAt: r.replayedAt,
  replayedBy: r.replayedBy,
  discardedAt: r.discardedAt,
  discardedBy: r.discardedBy,
  discardReason: r.discardReason,
});
export type TDeadLetter = ReturnType<typeof summary>;

const whereFor = (f: { functionId?: string; tenantId?: string; status?: TDeadLetterStatus }): Prisma.InngestDeadLetterWhereInput => ({
  ...(f.functionId ? { functionId: f.functionId } : {}),
  ...(f.tenantId ? { tenantId: f.tenantId } : {}),
  ...(f.status === "open" ? { replayedAt: null, discardedAt: null } : {}),
  ...(f.status === "replayed" ? { replayedAt: { not: null } } : {}),
  ...(f.status === "discarded" ? { discardedAt: { not: null } } : {}),
});

/**
 * Dead letters matching the filters, newest first, one page (`cursor` = the
 * last id of the previous page). Also returns every function id and tenant id
 * that has dead letters, for the filter dropdowns.
 */
export const listDeadLetters = async (input: { functionId?: string; tenantId?: string; status?: TDeadLetterStatus; take: number; cursor?: string }) => {
  const take = Math.min(Math.max(input.take, 1), 200);
  const [rows, fns, tenants] = await Promise.all([
    db.inngestDeadLetter.findMany({
      where: whereFor(input),
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: take + 1,
      ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
    }),
    db.inngestDeadLetter.findMany({ distinct: ["functionId"], select: { functionId: true }, orderBy: { functionId: "asc" } }),
    db.inngestDeadLetter.findMany({ where: { tenantId: { not: null } }, distinct: ["tenantId"], select: { tenantId: true }, orderBy: { tenantId: "asc" } }),
  ]);
  const page = rows.slice(0, take);
  return {
    items: page.map(summary),
    nextCursor: rows.length > take ? (page.at(-1)?.id ?? null) : null,
    functionIds: fns.map((f) => f.functionId),
    tenantIds: tenants.map((t) => t.tenantId).filter((t): t is string => t !== null),
  };
};

const jsonObject = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** One dead letter with its event payload and the error (name, message, stack). */
export const getDeadLetter = async (id: string) => {
  const r = await db.inngestDeadLetter.findUnique({ where: { id } });
  if (!r) throw new AppError("NOT_FOUND", "deadLetterNotFound", "dead letter not found");
  const error = jsonObject(r.error);
  const event = jsonObject(r.event);
  return {
    ...summary(r),
    event: { name: typeof event.name === "string" ? event.name : r.eventName, data: jsonObject(event.data), ts: typeof event.ts === "number" ? event.ts : null },
    error: { name: r.errorName, message: r.errorMessage, stack: typeof error.stack === "string" ? error.stack : null },
  };
};

const assertOpen = (r: Row | null): Row => {
  if (!r) throw new AppError("NOT_FOUND", "deadLetterNotFound", "dead letter not found");
  if (r.replayedAt) throw new AppError("CONFLICT", "deadLetterAlreadyReplayed", "dead letter already replayed");
  if (r.discardedAt) throw new AppError("CONFLICT", "deadLetterDiscarded", "dead letter was discarded");
  return r;
};

/**
 * Asks the engine to replay a dead letter: sends `jobs/dead-letter.replayed`
 * (the jobs-replay-dead-letter function then marks it replayed and sends the
 * original event again under a new event id). SERVICE_UNAVAILABLE
 * (`jobsUnavailable`) when the engine cannot be reached.
 */
export const replayDeadLetter = async (input: { id: string; adminUserId: string; meta?: RequestMeta }) => {
  const r = assertOpen(await db.inngestDeadLetter.findUnique({ where: { id: input.id } }));
  const [eventId] = await sendJobEvent({ name: "jobs/dead-letter.replayed", data: { deadLetterId: r.id, requestedBy: input.adminUserId } });
  await recordAudit({
    tenantId: r.tenantId,
    actorId: input.adminUserId,
    actorType: "PLATFORM_ADMIN",
    action: "jobs.dead_letter.replayed",
    targetType: "InngestDeadLetter",
    targetId: r.id,
    metadata: { functionId: r.functionId, runId: r.runId, eventId: r.eventId, replayEventId: eventId ?? null },
    meta: input.meta,
  });
  return { id: r.id, requested: true, eventId: eventId ?? null };
};

/** Marks a dead letter discarded (it will not be replayed); CONFLICT when it is no longer open. */
export const discardDeadLetter = async (input: { id: string; adminUserId: string; reason: string; meta?: RequestMeta }) => {
  const r = assertOpen(await db.inngestDeadLetter.findUnique({ where: { id: input.id } }));
  const { count } = await db.inngestDeadLetter.updateMany({
    where: { id: r.id, replayedAt: null, discardedAt: null },
    data: { discardedAt: new Date(), discardedBy: input.adminUserId, discardReason: input.reason },
  });
  if (count !== 1) assertOpen(await db.inngestDeadLetter.findUnique({ where: { id: r.id } })); // lost a race: report why
  await recordAudit({
    tenantId: r.tenantId,
    actorId: input.adminUserId,
    actorType: "PLATFORM_ADMIN",
    action: "jobs.dead_letter.discarded",
    targetType: "InngestDeadLetter",
    targetId: r.id,
    metadata: { functionId: r.functionId, runId: r.runId, eventId: r.eventId, reason: input.reason },
    meta: input.meta,
  });
  return summary(await db.inngestDeadLetter.findUniqueOrThrow({ where: { id: r.id } }));
};

/**
 * The event to send again for a dead letter (used by the replay function).
 * Refuses one that was already replayed or was discarded (NOT_FOUND when it
 * does not exist). The returned event has a fresh, deterministic id
 * (`replay-<dead letter id>`), never the original event's: the engine dedupes
 * event ids, so a retried send step cannot start the run twice.
 */
export const getReplayableEvent = async (deadLetterId: string) => {
  const row = assertOpen(await db.inngestDeadLetter.findUnique({ where: { id: deadLetterId } }));
  const event = jsonObject(row.event);
  return { id: `replay-${row.id}`, name: typeof event.name === "string" ? event.name : row.eventName, data: jsonObject(event.data) };
};

/** Marks a dead letter replayed; false when another replay got there first (or it was discarded). */
export const markDeadLetterReplayed = async (deadLetterId: string, requestedBy?: string | null) => {
  const { count } = await db.inngestDeadLetter.updateMany({
    where: { id: deadLetterId, replayedAt: null, discardedAt: null },
    data: { replayedAt: new Date(), replayedBy: requestedBy ?? null },
  });
  return count === 1;
};
