import { randomUUID } from "node:crypto";
import { db } from "~/server/db/client";
import { AppError } from "~/server/errors";
import { sendJobEvent } from "../jobs/send";

// The diagnostic job: a `system/ping.requested` event for the system-heartbeat
// function with a fresh pingId. With `fail`, a JobHeartbeat row with
// failUntilFixed is written first, so the function throws on every attempt,
// exhausts its retries and is dead-lettered; fixDiagnostic clears the flag,
// after which replaying the dead letter succeeds. Platform admins only (the
// admin procedures audit every call).

export type TDiagnostic = { pingId: string; failing: boolean; beats: number; createdAt: Date; lastBeatAt: Date };

const toDto = (r: { pingId: string; failUntilFixed: boolean; beats: number; createdAt: Date; lastBeatAt: Date }): TDiagnostic => ({
  pingId: r.pingId,
  failing: r.failUntilFixed,
  beats: r.beats,
  createdAt: r.createdAt,
  lastBeatAt: r.lastBeatAt,
});

export const runDiagnostic = async (input: { fail: boolean }) => {
  const pingId = `diag-${randomUUID()}`;
  if (input.fail) await db.jobHeartbeat.create({ data: { pingId, failUntilFixed: true, beats: 0 } });
  try {
    const [eventId] = await sendJobEvent({ name: "system/ping.requested", data: { pingId } });
    return { pingId, eventId: eventId ?? null, failing: input.fail };
  } catch (err) {
    // Nothing was sent: do not leave a fault flag behind for a job that never ran.
    if (input.fail) await db.jobHeartbeat.deleteMany({ where: { pingId, beats: 0 } });
    throw err;
  }
};

/** Clears the fault flag ("the fix"); NOT_FOUND for an unknown ping. */
export const fixDiagnostic = async (input: { pingId: string }) => {
  const { count } = await db.jobHeartbeat.updateMany({ where: { pingId: input.pingId }, data: { failUntilFixed: false } });
  const row = count ? await db.jobHeartbeat.findUnique({ where: { pingId: input.pingId } }) : null;
  if (!row) throw new AppError("NOT_FOUND", "notFound", "diagnostic not found");
  return toDto(row);
};

/** Diagnostics that are still failing, newest first. */
export const listFailingDiagnostics = async (input: { take: number }) => {
  const rows = await db.jobHeartbeat.findMany({ where: { failUntilFixed: true }, orderBy: { createdAt: "desc" }, take: input.take });
  return rows.map(toDto);
};
