import "server-only";
import { z } from "zod";
import { hasRole, type TRole } from "~/lib/roles";
import { db } from "~/server/db/client";
import { AppError, forbidden, notFound } from "~/server/errors";
import { actorOf, enforceWorkloadLimit } from "~/server/infra/workload-limits";
import { assertWithinBudget } from "../budgets/token-budget";
import { admitMeeting } from "../admission/admission";
import type { TenantCtx } from "../context";
import { sendJobEvent } from "../jobs/send";
import { isPersonaKey, PERSONA_KEYS } from "../personas/templates";
import { applyOverride } from "../personas/resolve";
import { readPositions, type Position } from "./outcome";

/*
 * Board meetings: a member sets a title, a goal, an agenda, the participating
 * personas (their speaking order), a chair among them and the rounds per item;
 * the meeting then runs in the background (inngest/jobs/run-meeting.ts, steps
 * in ./run.ts). Everything is tenant-scoped in the query itself: another
 * tenant's meeting id is simply not found.
 *
 * Input checks give a specific reason each (errors.<reason> in the UI) rather
 * than one generic "invalid input", so the form can say what to fix.
 */

export const MEETING_STATUSES = ["queued", "running", "completed", "failed", "cancelled"] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];

export const MAX_TITLE_CHARS = 120;
export const MAX_GOAL_CHARS = 2000;
export const MAX_AGENDA_ITEMS = 10;
export const MAX_AGENDA_ITEM_CHARS = 500;
export const MAX_PARTICIPANTS = PERSONA_KEYS.length;
export const MAX_ROUNDS = 3;

/**
 * The shape only (sizes that bound the payload). The rules with their own
 * reasons (empty agenda, too many rounds, chair not a participant, …) are
 * checked by createMeeting, so they are not reported as a bare invalidInput.
 */
export const ZCreateMeetingInput = z.object({
  title: z.string().trim().min(1).max(MAX_TITLE_CHARS),
  goal: z.string().trim().min(1).max(MAX_GOAL_CHARS),
  agenda: z.array(z.string().trim().max(MAX_AGENDA_ITEM_CHARS)).max(50),
  personaKeys: z.array(z.string().trim().min(1).max(40)).max(50),
  chairKey: z.string().trim().min(1).max(40),
  rounds: z.number().int().min(1).max(99),
});
export type CreateMeetingInput = z.input<typeof ZCreateMeetingInput>;

export const ZMeetingId = z.object({ id: z.string().min(1).max(64) });

const bad = (reason: string, message: string) => new AppError("BAD_REQUEST", reason, message);

const requireRole = (ctx: TenantCtx, min: TRole) => {
  if (!hasRole(ctx.role, min)) throw forbidden("roleTooLow", `Requires role ${min}`);
};

/** Persona keys that are known and enabled in this tenant (a TenantPersona row may disable one). */
const enabledPersonas = async (tenantId: string): Promise<Map<string, string>> => {
  const rows = await db.tenantPersona.findMany({ where: { tenantId }, select: { key: true, name: true, instructions: true, enabled: true } });
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const out = new Map<string, string>();
  for (const key of PERSONA_KEYS) {
    const row = byKey.get(key);
    if (row && !row.enabled) continue;
    out.set(key, applyOverride(key, row ?? null).name);
  }
  return out;
};

/** Display names of the given personas in this tenant (disabled ones included: a past meeting still names them). */
export const personaNames = async (tenantId: string, keys: readonly string[]): Promise<Map<string, string>> => {
  const rows = await db.tenantPersona.findMany({ where: { tenantId, key: { in: [...keys] } }, select: { key: true, name: true, instructions: true } });
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const out = new Map<string, string>();
  for (const key of keys) out.set(key, isPersonaKey(key) ? applyOverride(key, byKey.get(key) ?? null).name : key);
  return out;
};

/**
 * Sends the run event. When the background engine cannot be reached the
 * meeting is marked failed (jobsUnavailable) rather than left queued forever,
 * so "resume" can start it once the engine is back; the caller still gets the
 * error.
 */
const sendRun = async (tenantId: string, meetingId: string, runVersion: number) => {
  try {
    await sendJobEvent({ name: "meeting/run.requested", data: { tenantId, meetingId, runVersion } });
  } catch (err) {
    await db.meeting.updateMany({ where: { id: meetingId, tenantId, runVersion, status: "queued" }, data: { status: "failed", errorReason: "jobsUnavailable" } });
    throw err;
  }
};

/** Creates a queued meeting and sends meeting/run.requested (the caller's trace travels with it). */
export const createMeeting = async (ctx: TenantCtx, raw: CreateMeetingInput): Promise<{ id: string }> => {
  requireRole(ctx, "MEMBER");
  await enforceWorkloadLimit("meeting", actorOf(ctx));
  const input = ZCreateMeetingInput.parse(raw);
  if (input.personaKeys.length === 0) throw bad("meetingNoPersonas", "Choose at least one persona");
  if (new Set(input.personaKeys).size !== input.personaKeys.length) throw bad("meetingDuplicatePersona", "A persona is listed twice");
  if (input.personaKeys.length > MAX_PARTICIPANTS) throw bad("meetingTooManyPersonas", `At most ${MAX_PARTICIPANTS} personas`);
  if (input.agenda.length === 0 || input.agenda.some((a) => a.length === 0)) throw bad("meetingEmptyAgenda", "Every agenda item needs text, and there must be at least one");
  if (input.agenda.length > MAX_AGENDA_ITEMS) throw bad("meetingTooManyAgendaItems", `At most ${MAX_AGENDA_ITEMS} agenda items`);
  if (input.rounds > MAX_ROUNDS) throw bad("meetingTooManyRounds", `At most ${MAX_ROUNDS} rounds per item`);
  if (!input.personaKeys.includes(input.chairKey)) throw bad("meetingChairNotParticipant", "The chair must be one of the participants");
  const enabled = await enabledPersonas(ctx.tenantId);
  const unavailable = input.personaKeys.filter((k) => !enabled.has(k));
  if (unavailable.length > 0) throw bad("meetingPersonaUnavailable", `Not an enabled persona of this workspace: ${unavailable.join(", ")}`);
  await admitMeeting(ctx.tenantId);

  const meeting = await db.meeting.create({
    data: {
      tenantId: ctx.tenantId,
      createdById: ctx.userId,
      title: input.title,
      goal: input.goal,
      agenda: input.agenda,
      personaKeys: input.personaKeys,
      chairKey: input.chairKey,
      rounds: input.rounds,
      status: "queued",
    },
    select: { id: true, runVersion: true },
  });
  await sendRun(ctx.tenantId, meeting.id, meeting.runVersion);
  return { id: meeting.id };
};

export const agendaOf = (json: unknown): string[] => {
  const parsed = z.array(z.string()).safeParse(json);
  return parsed.success ? parsed.data : [];
};

/** Turns a meeting has when it is complete (the chair's closes are counted separately). */
export const totalTurnsOf = (m: { agenda: unknown; personaKeys: string[]; rounds: number }) => agendaOf(m.agenda).length * m.rounds * m.personaKeys.length;

export type MeetingListItem = { id: string; title: string; status: MeetingStatus; createdAt: Date; itemCount: number; turnCount: number; totalTurns: number };

export const listMeetings = async (ctx: TenantCtx): Promise<{ items: MeetingListItem[] }> => {
  requireRole(ctx, "VIEWER");
  const rows = await db.meeting.findMany({
    where: { tenantId: ctx.tenantId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 200,
    select: { id: true, title: true, status: true, createdAt: true, agenda: true, personaKeys: true, rounds: true },
  });
  // Counted for the listed meetings only: Prisma's `_count` of a relation aggregates the whole
  // MeetingTurn table (every tenant) before joining, a sequential scan (tests/query-plans.test.ts).
  const counts = rows.length
    ? await db.meetingTurn.groupBy({ by: ["meetingId"], where: { tenantId: ctx.tenantId, meetingId: { in: rows.map((r) => r.id) } }, _count: { _all: true } })
    : [];
  const turnsOf = new Map(counts.map((c) => [c.meetingId, c._count._all]));
  return {
    items: rows.map((r) => ({
      id: r.id,
      title: r.title,
      status: r.status as MeetingStatus,
      createdAt: r.createdAt,
      itemCount: agendaOf(r.agenda).length,
      turnCount: turnsOf.get(r.id) ?? 0,
      totalTurns: totalTurnsOf(r),
    })),
  };
};

const findMeeting = async (ctx: TenantCtx, id: string) => {
  const row = await db.meeting.findFirst({ where: { id, tenantId: ctx.tenantId } });
  if (!row) throw notFound("Meeting");
  return row;
};

export type MeetingTurnDto = {
  id: string;
  itemIndex: number;
  round: number;
  personaKey: string;
  content: string;
  provider: string | null;
  model: string | null;
  offline: boolean;
  inputTokens: number | null;
  outputTokens: number | null;
  durationMs: number | null;
  createdAt: Date;
};
export type MeetingOutcomeDto = { itemIndex: number; decision: string; positions: Position[]; dissent: string | null; derived: boolean; createdAt: Date };
export type ActionItemDto = { id: string; itemIndex: number; ownerPersonaKey: string; description: string; dueDate: Date | null; taskId: string | null };

export type MeetingDetail = {
  meeting: {
    id: string;
    title: string;
    goal: string;
    agenda: string[];
    personaKeys: string[];
    chairKey: string;
    rounds: number;
    status: MeetingStatus;
    errorReason: string | null;
    inputTokens: number;
    outputTokens: number;
    startedAt: Date | null;
    finishedAt: Date | null;
    createdAt: Date;
  };
  personas: { key: string; name: string }[];
  turns: MeetingTurnDto[];
  outcomes: MeetingOutcomeDto[];
  actionItems: ActionItemDto[];
  /** Steps done of all steps: every turn plus the chair's close of each item. */
  progress: { done: number; total: number };
};

export const getMeeting = async (ctx: TenantCtx, input: { id: string }): Promise<MeetingDetail> => {
  requireRole(ctx, "VIEWER");
  const m = await findMeeting(ctx, input.id);
  const [turns, outcomes, actionItems, names] = await Promise.all([
    db.meetingTurn.findMany({ where: { meetingId: m.id, tenantId: ctx.tenantId }, orderBy: [{ itemIndex: "asc" }, { round: "asc" }, { createdAt: "asc" }] }),
    db.meetingOutcome.findMany({ where: { meetingId: m.id, tenantId: ctx.tenantId }, orderBy: { itemIndex: "asc" } }),
    db.actionItem.findMany({ where: { meetingId: m.id, tenantId: ctx.tenantId }, orderBy: [{ itemIndex: "asc" }, { createdAt: "asc" }, { id: "asc" }] }),
    personaNames(ctx.tenantId, m.personaKeys),
  ]);
  const order = new Map(m.personaKeys.map((k, i) => [k, i]));
  // Speaking order inside a round, whatever the insertion times were (a resumed run may interleave).
  turns.sort((a, b) => a.itemIndex - b.itemIndex || a.round - b.round || (order.get(a.personaKey) ?? 99) - (order.get(b.personaKey) ?? 99));
  const agenda = agendaOf(m.agenda);
  return {
    meeting: {
      id: m.id,
      title: m.title,
      goal: m.goal,
      agenda,
      personaKeys: m.personaKeys,
      chairKey: m.chairKey,
      rounds: m.rounds,
      status: m.status as MeetingStatus,
      errorReason: m.errorReason,
      inputTokens: m.inputTokens,
      outputTokens: m.outputTokens,
      startedAt: m.startedAt,
      finishedAt: m.finishedAt,
      createdAt: m.createdAt,
    },
    personas: m.personaKeys.map((key) => ({ key, name: names.get(key) ?? key })),
    turns: turns.map((t) => ({
      id: t.id,
      itemIndex: t.itemIndex,
      round: t.round,
      personaKey: t.personaKey,
      content: t.content,
      provider: t.provider,
      model: t.model,
      offline: t.offline,
      inputTokens: t.inputTokens,
      outputTokens: t.outputTokens,
      durationMs: t.durationMs,
      createdAt: t.createdAt,
    })),
    outcomes: outcomes.map((o) => {
      const positions = readPositions(o.positions);
      return { itemIndex: o.itemIndex, decision: o.decision, positions, dissent: o.dissent, derived: positions.length > 0 && positions.every((p) => p.derived), createdAt: o.createdAt };
    }),
    actionItems: actionItems.map((a) => ({ id: a.id, itemIndex: a.itemIndex, ownerPersonaKey: a.ownerPersonaKey, description: a.description, dueDate: a.dueDate, taskId: a.taskId })),
    progress: { done: turns.length + outcomes.length, total: totalTurnsOf(m) + agenda.length },
  };
};

/**
 * Cancels a queued or running meeting: the status changes at once (a turn in
 * flight may still be stored: completed turns are kept) and the run is
 * cancelled through meeting/cancel.requested.
 */
export const cancelMeeting = async (ctx: TenantCtx, input: { id: string }): Promise<{ id: string; status: MeetingStatus }> => {
  requireRole(ctx, "MEMBER");
  const m = await findMeeting(ctx, input.id);
  const res = await db.meeting.updateMany({
    where: { id: m.id, tenantId: ctx.tenantId, status: { in: ["queued", "running"] } },
    data: { status: "cancelled", finishedAt: new Date() },
  });
  if (res.count === 0) throw new AppError("CONFLICT", "meetingNotCancellable", "Only a queued or running meeting can be cancelled");
  await sendJobEvent({ name: "meeting/cancel.requested", data: { tenantId: ctx.tenantId, meetingId: m.id } });
  return { id: m.id, status: "cancelled" };
};

/**
 * Continues a failed or cancelled meeting from where it stopped: a new run
 * version (older runs' events are ignored from now on), status queued, and a
 * new run event. Stored turns and outcomes are skipped by the run. Refused
 * while the month's token budget is spent (PRECONDITION_FAILED
 * tokenBudgetExhausted): the run would stop again at its first turn.
 */
export const resumeMeeting = async (ctx: TenantCtx, input: { id: string }): Promise<{ id: string; status: MeetingStatus }> => {
  requireRole(ctx, "MEMBER");
  await enforceWorkloadLimit("meeting", actorOf(ctx));
  const m = await findMeeting(ctx, input.id);
  await assertWithinBudget(ctx.tenantId);
  if (m.status === "failed" || m.status === "cancelled") await admitMeeting(ctx.tenantId);
  const updated = await db.meeting.updateManyAndReturn({
    where: { id: m.id, tenantId: ctx.tenantId, status: { in: ["failed", "cancelled"] } },
    data: { status: "queued", errorReason: null, finishedAt: null, runVersion: { increment: 1 } },
    select: { runVersion: true },
  });
  const row = updated[0];
  if (!row) throw new AppError("CONFLICT", "meetingNotResumable", "Only a failed or cancelled meeting can be resumed");
  await sendRun(ctx.tenantId, m.id, row.runVersion);
  return { id: m.id, status: "queued" };
};
