import "server-only";
import { db } from "~/server/db/client";
import { Prisma } from "~/server/db/generated/client";
import { failureReasonOr } from "../assist/failures";
import type { RetrievalTuning } from "../assist/grounding";
import type { GatewayTuning } from "../assist/persona-call";
import { agendaOf } from "./meetings";

/*
 * A meeting run's lifecycle (start, finish, fail) and what every step of it
 * checks first: that the meeting is still `running` at the run's version, so a
 * cancelled meeting, or a run superseded by "resume", stops at the next step.
 */

export type RunTarget = { tenantId: string; meetingId: string; runVersion: number };

/** Gateway and retrieval tuning (tests and the perf script). */
export type RunOptions = {
  gateway?: Pick<GatewayTuning, "retryBaseDelayMs" | "timeoutMs">;
  retrieval?: RetrievalTuning;
};

/** The meeting, if this run may still act on it. */
export const currentMeeting = async (t: RunTarget) => {
  const m = await db.meeting.findFirst({ where: { id: t.meetingId, tenantId: t.tenantId } });
  return m && m.runVersion === t.runVersion && m.status === "running" ? m : null;
};
export type RunningMeeting = NonNullable<Awaited<ReturnType<typeof currentMeeting>>>;

/** Another attempt stored the row first (turn, outcome): its tokens are the ones counted. */
export const isUniqueViolation = (err: unknown) => err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";

/** The reason a failed meeting carries (errors.<reason> in the UI): a known one, else meetingFailed. */
export const meetingFailureReason = (message: string | undefined): string => failureReasonOr(message, "meetingFailed");

export type RunPlan = { status: "stale" } | { status: "running"; itemCount: number; rounds: number; personaKeys: string[]; chairKey: string };

/** queued → running (startedAt kept from the first run); a stale or cancelled run gets "stale" and stops. */
export const startMeetingRun = async (t: RunTarget): Promise<RunPlan> => {
  const now = new Date();
  const [row] = await db.meeting.updateManyAndReturn({
    where: { id: t.meetingId, tenantId: t.tenantId, runVersion: t.runVersion, status: { in: ["queued", "running"] } },
    data: { status: "running", errorReason: null, finishedAt: null },
    select: { agenda: true, rounds: true, personaKeys: true, chairKey: true, startedAt: true },
  });
  if (!row) return { status: "stale" };
  if (!row.startedAt) await db.meeting.updateMany({ where: { id: t.meetingId, tenantId: t.tenantId, startedAt: null }, data: { startedAt: now } });
  return { status: "running", itemCount: agendaOf(row.agenda).length, rounds: row.rounds, personaKeys: row.personaKeys, chairKey: row.chairKey };
};

export const finishMeetingRun = async (t: RunTarget): Promise<{ status: "completed" | "stale" }> => {
  const res = await db.meeting.updateMany({
    where: { id: t.meetingId, tenantId: t.tenantId, runVersion: t.runVersion, status: "running" },
    data: { status: "completed", finishedAt: new Date() },
  });
  return { status: res.count > 0 ? "completed" : "stale" };
};

/** The run failed for good: failed with the reason; every stored turn stays. A cancelled or superseded meeting is left alone. */
export const markMeetingFailed = async (t: RunTarget, reason: string): Promise<{ updated: boolean }> => {
  const res = await db.meeting.updateMany({
    where: { id: t.meetingId, tenantId: t.tenantId, runVersion: t.runVersion, status: { in: ["queued", "running"] } },
    data: { status: "failed", errorReason: reason, finishedAt: new Date() },
  });
  return { updated: res.count > 0 };
};
