import "server-only";
import { db } from "~/server/db/client";
import { clip } from "../assist/clip";
import type { RunningMeeting } from "./run-state";

/*
 * What a speaker (or the chair) is shown of the meeting: the decisions of the
 * earlier items, this item's discussion so far within a budget, and the
 * prompt for one turn.
 */

/** Per earlier turn and in total, what the prompt carries of the discussion. */
const MAX_TURN_CHARS_IN_PROMPT = 2_000;
const MAX_TRANSCRIPT_CHARS = 24_000;

/** Short summaries of the decisions of the items before this one. */
export const earlierDecisions = async (m: RunningMeeting, itemIndex: number, agenda: string[]) => {
  if (itemIndex === 0) return [];
  const rows = await db.meetingOutcome.findMany({ where: { meetingId: m.id, tenantId: m.tenantId, itemIndex: { lt: itemIndex } }, orderBy: { itemIndex: "asc" }, select: { itemIndex: true, decision: true } });
  return rows.map((o) => `- Item ${o.itemIndex + 1} ("${clip(agenda[o.itemIndex] ?? "", 120)}"): ${clip(o.decision, 300)}`);
};

/** This item's discussion so far as "Name (round r): text", oldest first, within the budget. */
export const transcriptOf = (turns: { round: number; personaKey: string; content: string }[], names: Map<string, string>) => {
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

export const itemTurns = (m: RunningMeeting, itemIndex: number) =>
  db.meetingTurn.findMany({ where: { meetingId: m.id, tenantId: m.tenantId, itemIndex }, select: { round: true, personaKey: true, content: true, createdAt: true } });

/** Speaking order: by round, then the meeting's persona order. */
export const inSpeakingOrder = <T extends { round: number; personaKey: string }>(m: RunningMeeting, turns: T[]) => {
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
