import "server-only";
import { db } from "~/server/db/client";
import type { Prisma } from "~/server/db/generated/client";
import { logger } from "~/server/infra/logger";
import { addTokens, askPersona, resolvePersona, type Tokens } from "../assist/persona-call";
import { agendaOf, personaNames } from "./meetings";
import { chairPrompt, deriveOutcome, parseChairOutcome, type ItemOutcome } from "./outcome";
import { currentMeeting, isUniqueViolation, type RunningMeeting, type RunOptions, type RunTarget } from "./run-state";
import { inSpeakingOrder, itemTurns, transcriptOf } from "./transcript";

type Turn = { round: number; personaKey: string; content: string };

export type CloseResult = { status: "stored" | "skipped" | "stale"; derived: boolean; actionItems: number };

const addDays = (from: Date, days: number) => {
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  d.setUTCDate(d.getUTCDate() + days);
  return d;
};

/** The chair's outcome from a real model (null when it did not parse), and the tokens it spent; the offline model is not asked. */
const askChair = async (m: RunningMeeting, itemIndex: number, ordered: Turn[], opts: RunOptions): Promise<{ outcome: ItemOutcome | null; tokens: Tokens }> => {
  const none = { outcome: null, tokens: { inputTokens: 0, outputTokens: 0 } };
  const [chair, names] = await Promise.all([resolvePersona({ tenantId: m.tenantId, userId: m.createdById, personaKey: m.chairKey }), personaNames(m.tenantId, m.personaKeys)]);
  if (chair.model.provider === "offline") return none;
  const content = chairPrompt({
    itemText: agendaOf(m.agenda)[itemIndex] ?? "",
    participants: m.personaKeys.map((k) => ({ key: k, name: names.get(k) ?? k })),
    transcript: transcriptOf(ordered, names).join("\n"),
  });
  const answer = await askPersona({ tenantId: m.tenantId, userId: m.createdById, persona: chair, messages: [{ role: "user", content }], gateway: opts.gateway });
  const outcome = parseChairOutcome(answer.text, m.personaKeys, lastTurnsOf(ordered));
  if (!outcome) logger.warn({ tenantId: m.tenantId, meetingId: m.id, itemIndex }, "the chair's outcome did not parse; deriving it from the turns");
  return { outcome, tokens: answer.tokens };
};

/** Each participant's last word on the item. */
const lastTurnsOf = (ordered: Turn[]) => {
  const last = new Map<string, string>();
  for (const x of ordered) last.set(x.personaKey, x.content);
  return last;
};

/**
 * The chair closes an item: with a real model, a JSON outcome parsed and
 * validated; with the offline model, or when the answer is not usable, the
 * outcome derived from the turns (marked derived). Stored with its action
 * items in one transaction, once.
 */
export const closeMeetingItem = async (t: RunTarget, itemIndex: number, opts: RunOptions = {}): Promise<CloseResult> => {
  const m = await currentMeeting(t);
  if (!m) return { status: "stale", derived: false, actionItems: 0 };
  if (await db.meetingOutcome.findUnique({ where: { meetingId_itemIndex: { meetingId: m.id, itemIndex } }, select: { id: true } })) {
    return { status: "skipped", derived: false, actionItems: 0 };
  }
  const ordered = inSpeakingOrder(m, await itemTurns(m, itemIndex));
  const asked = await askChair(m, itemIndex, ordered, opts);
  const outcome = asked.outcome ?? deriveOutcome({ chairKey: m.chairKey, participants: m.personaKeys, lastTurns: lastTurnsOf(ordered), itemIndex });

  const today = new Date();
  try {
    await db.$transaction([
      db.meetingOutcome.create({
        data: { meetingId: m.id, tenantId: m.tenantId, itemIndex, decision: outcome.decision, positions: outcome.positions as unknown as Prisma.InputJsonValue, dissent: outcome.dissent },
      }),
      db.actionItem.createMany({
        data: outcome.actionItems.map((a) => ({ meetingId: m.id, tenantId: m.tenantId, itemIndex, ownerPersonaKey: a.ownerPersonaKey, description: a.description, dueDate: addDays(today, a.dueInDays) })),
      }),
      db.meeting.update({ where: { id: m.id }, data: addTokens(asked.tokens) }),
    ]);
  } catch (err) {
    if (isUniqueViolation(err)) return { status: "skipped", derived: false, actionItems: 0 };
    throw err;
  }
  return { status: "stored", derived: outcome.derived, actionItems: outcome.actionItems.length };
};
