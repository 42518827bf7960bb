import "server-only";
import { db } from "~/server/db/client";
import { metrics } from "~/server/infra/metrics";
import { contextOf, retrieveWithTimeout } from "../assist/grounding";
import { addTokens, askPersona, resolvePersona, type PersonaAnswer } from "../assist/persona-call";
import { agendaOf, personaNames } from "./meetings";
import { currentMeeting, isUniqueViolation, type RunningMeeting, type RunOptions, type RunTarget } from "./run-state";
import { earlierDecisions, inSpeakingOrder, itemTurns, transcriptOf, turnPrompt } from "./transcript";

/*
 * The turns of a meeting run, called by inngest/jobs/run-meeting.ts (one
 * Inngest step each; the chair's close is in close-item.ts, the lifecycle in
 * run-state.ts). Every step:
 *  - acts only while the meeting is `running` at the run's version: a
 *    cancelled meeting, or a run superseded by "resume", stops at the next step;
 *  - is safe to repeat: a turn or an outcome already stored (by an earlier
 *    attempt, or by the run that failed before a resume) is skipped, and the
 *    unique keys (meeting, item, round, persona) / (meeting, item) guarantee it
 *    even if two attempts race; tokens are added in the same transaction as
 *    the row, so they are counted exactly once;
 *  - returns a few numbers, never text (step outputs are memoised JSON).
 */

export type TurnRef = { itemIndex: number; round: number; personaKey: string };

/** Passages handed to each turn. */
export const MEETING_PASSAGES = 4;

export type TurnResult = { status: "stored" | "skipped" | "stale"; wallMs: number; modelMs: number; inputTokens: number; outputTokens: number };

/** The speaker's prompt: the item, what was decided before, and what was said before this turn in speaking order. */
const promptFor = async (m: RunningMeeting, ref: TurnRef) => {
  const agenda = agendaOf(m.agenda);
  const [names, earlier, turns] = await Promise.all([personaNames(m.tenantId, m.personaKeys), earlierDecisions(m, ref.itemIndex, agenda), itemTurns(m, ref.itemIndex)]);
  // Only what was said before this turn in speaking order (a resumed run never shows a later turn).
  const before = inSpeakingOrder(m, turns).filter((x) => x.round < ref.round || (x.round === ref.round && m.personaKeys.indexOf(x.personaKey) < m.personaKeys.indexOf(ref.personaKey)));
  return turnPrompt({
    title: m.title,
    goal: m.goal,
    itemIndex: ref.itemIndex,
    itemCount: agenda.length,
    itemText: agenda[ref.itemIndex] ?? "",
    round: ref.round,
    rounds: m.rounds,
    speaker: names.get(ref.personaKey) ?? ref.personaKey,
    colleagues: m.personaKeys.filter((k) => k !== ref.personaKey).map((k) => names.get(k) ?? k),
    earlier,
    transcript: transcriptOf(before, names),
  });
};

/** The turn row and the meeting's tokens, together; false when another attempt stored the turn first. */
const storeTurn = async (m: RunningMeeting, ref: TurnRef, { text, tokens, result }: PersonaAnswer): Promise<boolean> => {
  try {
    await db.$transaction([
      db.meetingTurn.create({
        data: {
          meetingId: m.id,
          tenantId: m.tenantId,
          itemIndex: ref.itemIndex,
          round: ref.round,
          personaKey: ref.personaKey,
          content: text,
          provider: result.provider,
          model: result.model,
          offline: result.offline,
          inputTokens: result.usage.inputTokens,
          outputTokens: result.usage.outputTokens,
          durationMs: result.durationMs,
        },
      }),
      db.meeting.update({ where: { id: m.id }, data: addTokens(tokens) }),
    ]);
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
};

const turnStored = (m: RunningMeeting, ref: TurnRef) =>
  db.meetingTurn.findUnique({
    where: { meetingId_itemIndex_round_personaKey: { meetingId: m.id, itemIndex: ref.itemIndex, round: ref.round, personaKey: ref.personaKey } },
    select: { id: true },
  });

/** One persona speaks once: skipped if already stored; else prompt → model → turn row + meeting tokens. */
export const runMeetingTurn = async (t: RunTarget, ref: TurnRef, opts: RunOptions = {}): Promise<TurnResult> => {
  const started = performance.now();
  const none = (status: TurnResult["status"]): TurnResult => ({ status, wallMs: Math.round(performance.now() - started), modelMs: 0, inputTokens: 0, outputTokens: 0 });
  const m = await currentMeeting(t);
  if (!m) return none("stale");
  if (await turnStored(m, ref)) {
    metrics.meetingTurns.add(1, { "ocsuite.outcome": "skipped" });
    return none("skipped");
  }
  try {
    const [persona, content, grounding] = await Promise.all([
      resolvePersona({ tenantId: m.tenantId, userId: m.createdById, personaKey: ref.personaKey }),
      promptFor(m, ref),
      retrieveWithTimeout({ tenantId: m.tenantId, query: agendaOf(m.agenda)[ref.itemIndex] ?? "", limit: MEETING_PASSAGES, purpose: "meeting", retrieval: opts.retrieval }),
    ]);
    // Nobody watches a meeting turn's tokens arrive (the page shows whole turns).
    const answer = await askPersona({
      tenantId: m.tenantId,
      userId: m.createdById,
      persona,
      messages: [{ role: "user", content }],
      context: contextOf(grounding.passages),
      gateway: opts.gateway,
    });
    if (!(await storeTurn(m, ref, answer))) {
      metrics.meetingTurns.add(1, { "ocsuite.outcome": "skipped" });
      return none("skipped");
    }
    const wallMs = Math.round(performance.now() - started);
    metrics.meetingTurns.add(1, { "ocsuite.outcome": "complete" });
    metrics.meetingTurnDuration.record(wallMs / 1000, { "ocsuite.outcome": "complete" });
    return { status: "stored", wallMs, modelMs: answer.result.durationMs, ...answer.tokens };
  } catch (err) {
    metrics.meetingTurns.add(1, { "ocsuite.outcome": "failed" });
    metrics.meetingTurnDuration.record((performance.now() - started) / 1000, { "ocsuite.outcome": "failed" });
    throw err;
  }
};
