import "server-only";
import { db } from "~/server/db/client";
import { Prisma } from "~/server/db/generated/client";
import { isAppError } from "~/server/errors";
import { logger } from "~/server/infra/logger";
import { metrics } from "~/server/infra/metrics";
import { passageSource } from "../chat/turns";
import { retrievePassages, type RetrieveOptions } from "../knowledge/retrieval";
import { LLM_ERROR_REASONS, streamChat, type StreamChatInput } from "../llm/gateway";
import type { ContextPassage } from "../llm/personas";
import { resolvePersonaForChat } from "../personas/resolve";
import { agendaOf, personaNames } from "./meetings";
import { chairPrompt, deriveOutcome, parseChairOutcome, type ItemOutcome } from "./outcome";

/*
 * The steps of a meeting run, called by inngest/jobs/run-meeting.ts (one
 * Inngest step each). Every step:
 *  - acts only while the meeting is `running` at the run's version: a
 *    cancelled meeting, or a run superseded by "resume", stops at the next step;
 *  - is safe to repeat: a turn or an outcome already stored (by an earlier
 *    attempt, or by the run that failed before a resume) is skipped, and the
 *    unique keys (meeting, item, round, persona) / (meeting, item) guarantee it
 *    even if two attempts race; tokens are added in the same transaction as
 *    the row, so they are counted exactly once;
 *  - returns a few numbers, never text (step outputs are memoised JSON).
 */

export type RunTarget = { tenantId: string; meetingId: string; runVersion: number };
export type TurnRef = { itemIndex: number; round: number; personaKey: string };

/** Gateway and retrieval tuning (tests and the perf script). */
export type RunOptions = {
  gateway?: Pick<StreamChatInput, "retryBaseDelayMs" | "timeoutMs">;
  retrieval?: Pick<RetrieveOptions, "db" | "embedder" | "mode">;
};

/** Passages handed to each turn, and how long retrieval may take before a turn goes on without them. */
export const MEETING_PASSAGES = 4;
export const MEETING_RETRIEVAL_TIMEOUT_MS = 5_000;
/** Per earlier turn and in total, what the prompt carries of the discussion. */
const MAX_TURN_CHARS_IN_PROMPT = 2_000;
const MAX_TRANSCRIPT_CHARS = 24_000;

/** Reasons a failed meeting may carry besides the gateway's (errors.<reason> in the UI). */
const KNOWN_FAILURE_REASONS = new Set<string>([...LLM_ERROR_REASONS, "personaDisabled", "personaModelMissing", "credentialUnusable", "notFound", "tenantSuspended"]);
export const meetingFailureReason = (message: string | undefined): string => (message && KNOWN_FAILURE_REASONS.has(message) ? message : "meetingFailed");

/** The meeting, if this run may still act on it. */
const current = async (t: RunTarget) => {
  const m = await db.meeting.findFirst({ where: { id: t.meetingId, tenantId: t.tenantId } });
  return m && m.runVersion === t.runVersion && m.status === "running" ? m : null;
};

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

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1).trimEnd()}…` : s);

const isUniqueViolation = (err: unknown) => err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";

/** The tenant's passages for an agenda item; a failed or slow search just means none. */
const passagesFor = async (tenantId: string, query: string, opts: RunOptions["retrieval"]): Promise<ContextPassage[]> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), MEETING_RETRIEVAL_TIMEOUT_MS);
    });
    const found = await Promise.race([retrievePassages({ tenantId }, query, { ...opts, limit: MEETING_PASSAGES }), timeout]);
    if (!found) {
      logger.warn({ tenantId }, "meeting retrieval timed out; the turn goes on without documents");
      return [];
    }
    return found.map((p) => ({ title: passageSource({ title: p.documentTitle, page: p.page }), text: p.text }));
  } catch (err) {
    logger.warn({ err, tenantId }, "meeting retrieval failed; the turn goes on without documents");
    return [];
  } finally {
    clearTimeout(timer);
  }
};

type Meeting = NonNullable<Awaited<ReturnType<typeof current>>>;

/** The creator's saved locale: the language the personas speak in. */
const localeOf = async (userId: string | null) => (userId ? ((await db.user.findUnique({ where: { id: userId }, select: { locale: true } }))?.locale ?? null) : null);

/** Short summaries of the decisions of the items before this one. */
const earlierDecisions = async (m: Meeting, itemIndex: number, agenda: string[]) => {
  if (itemIndex === 0) return [];
  const rows = await db.meetingOutcome.findMany({ where: { meetingId: m.id, tenantId: m.tenantId, itemIndex: { lt: itemIndex } }, orderBy: { itemIndex: "asc" }, select: { itemIndex: true, decision: true } });
  return rows.map((o) => `- Item ${o.itemIndex + 1} ("${clip(agenda[o.itemIndex] ?? "", 120)}"): ${clip(o.decision, 300)}`);
};

/** This item's discussion so far as "Name (round r): text", oldest first, within the budget. */
const transcriptOf = (turns: { round: number; personaKey: string; content: string }[], names: Map<string, string>) => {
  const lines = turns.map((t) => `${names.get(t.personaKey) ?? t.personaKey} (round ${t.round}): ${clip(t.content.trim(), MAX_TURN_CHARS_IN_PROMPT)}`);
  const kept: string[] = [];
  let chars = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (chars + lines[i]!.length > MAX_TRANSCRIPT_CHARS) break;
    kept.unshift(lines[i]!);
    chars += lines[i]!.length;
  }
  return kept;
};

const itemTurns = (m: Meeting, itemIndex: number) =>
  db.meetingTurn.findMany({ where: { meetingId: m.id, tenantId: m.tenantId, itemIndex }, select: { round: true, personaKey: true, content: true, createdAt: true } });

/** Speaking order: by round, then the meeting's persona order. */
const inSpeakingOrder = <T extends { round: number; personaKey: string }>(m: Meeting, turns: T[]) => {
  const order = new Map(m.personaKeys.map((k, i) => [k, i]));
  return [...turns].sort((a, b) => a.round - b.round || (order.get(a.personaKey) ?? 99) - (order.get(b.personaKey) ?? 99));
};

/** The user message of one turn: the item first (the offline model echoes the opening), then context and the instruction. */
export const turnPrompt = (input: {
  title: string;
  goal: string;
  itemIndex: number;
  itemCount: number;
  itemText: string;
  round: number;
  rounds: number;
  speaker: string;
  colleagues: string[];
  earlier: string[];
  transcript: string[];
}) =>
  [
    `Agenda item ${input.itemIndex + 1} of ${input.itemCount}: "${input.itemText}"`,
    `Board meeting "${input.title}". Goal: ${input.goal}`,
    ...(input.earlier.length ? ["", "Decided earlier in this meeting:", ...input.earlier] : []),
    "",
    ...(input.transcript.length ? ["The discussion of this item so far:", ...input.transcript] : ["You speak first on this item."]),
    "",
    `You are ${input.speaker}, speaking in round ${input.round} of ${input.rounds}. Your colleagues at the table: ${input.colleagues.join(", ") || "none"}.`,
    "Give your view on this agenda item from your role. Respond to your colleagues by name where relevant, say clearly whether you support, oppose or abstain, and name the next step you would own, if any. Keep it under 200 words.",
  ].join("\n");

export type TurnResult = { status: "stored" | "skipped" | "stale"; wallMs: number; modelMs: number; inputTokens: number; outputTokens: number };

/** One persona speaks once: skipped if already stored; else prompt → model → turn row + meeting tokens. */
export const runMeetingTurn = async (t: RunTarget, ref: TurnRef, opts: RunOptions = {}): Promise<TurnResult> => {
  const started = performance.now();
  const none = (status: TurnResult["status"]): TurnResult => ({ status, wallMs: Math.round(performance.now() - started), modelMs: 0, inputTokens: 0, outputTokens: 0 });
  const m = await current(t);
  if (!m) return none("stale");
  const exists = await db.meetingTurn.findUnique({
    where: { meetingId_itemIndex_round_personaKey: { meetingId: m.id, itemIndex: ref.itemIndex, round: ref.round, personaKey: ref.personaKey } },
    select: { id: true },
  });
  if (exists) {
    metrics.meetingTurns.inc({ outcome: "skipped" });
    return none("skipped");
  }
  try {
    const agenda = agendaOf(m.agenda);
    const itemText = agenda[ref.itemIndex] ?? "";
    const [persona, names, earlier, turns, context] = await Promise.all([
      localeOf(m.createdById).then((locale) => resolvePersonaForChat({ tenantId: m.tenantId, userId: m.createdById }, ref.personaKey, { locale })),
      personaNames(m.tenantId, m.personaKeys),
      earlierDecisions(m, ref.itemIndex, agenda),
      itemTurns(m, ref.itemIndex),
      passagesFor(m.tenantId, itemText, opts.retrieval),
    ]);
    // Only what was said before this turn in speaking order (a resumed run never shows a later turn).
    const before = inSpeakingOrder(m, turns).filter((x) => x.round < ref.round || (x.round === ref.round && m.personaKeys.indexOf(x.personaKey) < m.personaKeys.indexOf(ref.personaKey)));
    const content = turnPrompt({
      title: m.title,
      goal: m.goal,
      itemIndex: ref.itemIndex,
      itemCount: agenda.length,
      itemText,
      round: ref.round,
      rounds: m.rounds,
      speaker: names.get(ref.personaKey) ?? ref.personaKey,
      colleagues: m.personaKeys.filter((k) => k !== ref.personaKey).map((k) => names.get(k) ?? k),
      earlier,
      transcript: transcriptOf(before, names),
    });
    const result = await streamChat({
      tenantId: m.tenantId,
      userId: m.createdById,
      personaKey: persona.key,
      persona: persona.template,
      tenantProfile: persona.tenantProfile,
      temperature: persona.temperature,
      model: persona.model,
      messages: [{ role: "user", content }],
      context,
      // Nobody watches a meeting turn's tokens arrive (the page shows whole turns), so the
      // offline model's typing delay would only slow the meeting down.
      offlineChunkDelayMs: 0,
      ...opts.gateway,
    }).result;
    const inputTokens = result.usage.inputTokens ?? 0;
    const outputTokens = result.usage.outputTokens ?? 0;
    try {
      await db.$transaction([
        db.meetingTurn.create({
          data: {
            meetingId: m.id,
            tenantId: m.tenantId,
            itemIndex: ref.itemIndex,
            round: ref.round,
            personaKey: ref.personaKey,
            content: result.text,
            provider: result.provider,
            model: result.model,
            offline: result.offline,
            inputTokens: result.usage.inputTokens,
            outputTokens: result.usage.outputTokens,
            durationMs: result.durationMs,
          },
        }),
        db.meeting.update({ where: { id: m.id }, data: { inputTokens: { increment: inputTokens }, outputTokens: { increment: outputTokens } } }),
      ]);
    } catch (err) {
      // Another attempt stored this turn first: its tokens are the ones counted.
      if (isUniqueViolation(err)) {
        metrics.meetingTurns.inc({ outcome: "skipped" });
        return none("skipped");
      }
      throw err;
    }
    const wallMs = Math.round(performance.now() - started);
    metrics.meetingTurns.inc({ outcome: "complete" });
    metrics.meetingTurnDuration.observe({ outcome: "complete" }, wallMs / 1000);
    return { status: "stored", wallMs, modelMs: result.durationMs, inputTokens, outputTokens };
  } catch (err) {
    metrics.meetingTurns.inc({ outcome: "failed" });
    metrics.meetingTurnDuration.observe({ outcome: "failed" }, (performance.now() - started) / 1000);
    throw err;
  }
};

export type CloseResult = { status: "stored" | "skipped" | "stale"; derived: boolean; actionItems: number };

const addDays = (from: Date, days: number) => {
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  d.setUTCDate(d.getUTCDate() + days);
  return d;
};

/**
 * The chair closes an item: with a real model, a JSON outcome parsed and
 * validated; with the offline model, or when the answer is not usable, the
 * outcome derived from the turns (marked derived). Stored with its action
 * items in one transaction, once.
 */
export const closeMeetingItem = async (t: RunTarget, itemIndex: number, opts: RunOptions = {}): Promise<CloseResult> => {
  const m = await current(t);
  if (!m) return { status: "stale", derived: false, actionItems: 0 };
  if (await db.meetingOutcome.findUnique({ where: { meetingId_itemIndex: { meetingId: m.id, itemIndex } }, select: { id: true } })) {
    return { status: "skipped", derived: false, actionItems: 0 };
  }
  const agenda = agendaOf(m.agenda);
  const [names, turns] = await Promise.all([personaNames(m.tenantId, m.personaKeys), itemTurns(m, itemIndex)]);
  const ordered = inSpeakingOrder(m, turns);
  const lastTurns = new Map<string, string>();
  for (const x of ordered) lastTurns.set(x.personaKey, x.content);

  let outcome: ItemOutcome | null = null;
  let tokens = { input: 0, output: 0 };
  const locale = await localeOf(m.createdById);
  const chair = await resolvePersonaForChat({ tenantId: m.tenantId, userId: m.createdById }, m.chairKey, { locale });
  if (chair.model.provider !== "offline") {
    const result = await streamChat({
      tenantId: m.tenantId,
      userId: m.createdById,
      personaKey: chair.key,
      persona: chair.template,
      tenantProfile: chair.tenantProfile,
      temperature: chair.temperature,
      model: chair.model,
      messages: [
        {
          role: "user",
          content: chairPrompt({
            itemText: agenda[itemIndex] ?? "",
            participants: m.personaKeys.map((k) => ({ key: k, name: names.get(k) ?? k })),
            transcript: transcriptOf(ordered, names).join("\n"),
          }),
        },
      ],
      ...opts.gateway,
    }).result;
    tokens = { input: result.usage.inputTokens ?? 0, output: result.usage.outputTokens ?? 0 };
    outcome = parseChairOutcome(result.text, m.personaKeys, lastTurns);
    if (!outcome) logger.warn({ tenantId: m.tenantId, meetingId: m.id, itemIndex }, "the chair's outcome did not parse; deriving it from the turns");
  }
  outcome ??= deriveOutcome({ chairKey: m.chairKey, participants: m.personaKeys, lastTurns, itemIndex });

  const today = new Date();
  try {
    await db.$transaction([
      db.meetingOutcome.create({
        data: {
          meetingId: m.id,
          tenantId: m.tenantId,
          itemIndex,
          decision: outcome.decision,
          positions: outcome.positions as unknown as Prisma.InputJsonValue,
          dissent: outcome.dissent,
        },
      }),
      db.actionItem.createMany({
        data: outcome.actionItems.map((a) => ({
          meetingId: m.id,
          tenantId: m.tenantId,
          itemIndex,
          ownerPersonaKey: a.ownerPersonaKey,
          description: a.description,
          dueDate: addDays(today, a.dueInDays),
        })),
      }),
      db.meeting.update({ where: { id: m.id }, data: { inputTokens: { increment: tokens.input }, outputTokens: { increment: tokens.output } } }),
    ]);
  } catch (err) {
    if (isUniqueViolation(err)) return { status: "skipped", derived: false, actionItems: 0 };
    throw err;
  }
  return { status: "stored", derived: outcome.derived, actionItems: outcome.actionItems.length };
};

/** Configuration problems a retry cannot fix (the persona was disabled, its model is missing): fail at once. */
export const isPermanentRunError = (err: unknown) => isAppError(err) && ["personaDisabled", "personaModelMissing", "credentialUnusable", "notFound"].includes(err.reason);
