import { z } from "zod";
import { clip } from "../assist/clip";

/*
 * The chair's close of one agenda item as structured data: the decision, each
 * participant's position, dissent and action items.
 *
 * A real model is asked for a JSON object (chairPrompt) and its answer is
 * parsed and validated (parseChairOutcome). The offline model cannot write
 * JSON, and a real model sometimes does not: then the outcome is derived from
 * the turns by simple, documented rules (deriveOutcome) and every position is
 * marked `derived: true`, so the UI and the minutes never present a heuristic
 * as the chair's judgement.
 */

export const STANCES = ["support", "oppose", "abstain"] as const;
export type Stance = (typeof STANCES)[number];

export type Position = { personaKey: string; stance: Stance; rationale: string; derived?: true };
export type OutcomeActionItem = { ownerPersonaKey: string; description: string; dueInDays: number };
export type ItemOutcome = { decision: string; positions: Position[]; dissent: string | null; actionItems: OutcomeActionItem[]; derived: boolean };

export const MAX_DECISION_CHARS = 2000;
export const MAX_RATIONALE_CHARS = 300;
export const MAX_ACTION_CHARS = 500;

/** What a stored positions JSON may contain (validated on read too: it is data from a model). */
export const ZPosition = z.object({
  personaKey: z.string().min(1).max(40),
  stance: z.enum(STANCES),
  rationale: z.string().max(MAX_RATIONALE_CHARS),
  derived: z.literal(true).optional(),
});

/** The chair's JSON, as the model is asked to write it. Participants are checked against the meeting's. */
const chairSchema = (participants: readonly string[]) => {
  const key = z.string().refine((k) => participants.includes(k), { message: "not a participant" });
  return z.object({
    decision: z.string().trim().min(1).transform((s) => clip(s, MAX_DECISION_CHARS)),
    positions: z
      .array(
        z.object({
          personaKey: key,
          stance: z.preprocess((v) => (typeof v === "string" ? v.trim().toLowerCase() : v), z.enum(STANCES)),
          rationale: z.string().trim().transform((s) => clip(s, MAX_RATIONALE_CHARS)),
        }),
      )
      .min(1),
    dissent: z
      .string()
      .nullish()
      .transform((s) => (s && s.trim() ? clip(s.trim(), MAX_DECISION_CHARS) : null)),
    actionItems: z
      .array(
        z.object({
          ownerPersonaKey: key,
          description: z.string().trim().min(1).transform((s) => clip(s, MAX_ACTION_CHARS)),
          dueInDays: z.coerce.number().int().min(1).max(365),
        }),
      )
      .max(20)
      .default([]),
  });
};

/** The instruction for the chair's closing call. */
export const chairPrompt = (input: { itemText: string; participants: { key: string; name: string }[]; transcript: string }) =>
  [
    `You are chairing the close of this agenda item: "${input.itemText}".`,
    "",
    "The discussion:",
    input.transcript,
    "",
    "Close the item. Answer with ONE JSON object and nothing else, in this shape:",
    '{"decision": "…", "positions": [{"personaKey": "…", "stance": "support|oppose|abstain", "rationale": "one line"}], "dissent": "… or null", "actionItems": [{"ownerPersonaKey": "…", "description": "…", "dueInDays": 7}]}',
    `Participants (use these personaKey values exactly): ${input.participants.map((p) => `${p.key} = ${p.name}`).join("; ")}.`,
    "Give one position per participant. Dissent summarises the objections, or null when there are none. Action items are concrete next steps with an owner from the participants.",
  ].join("\n");

/** The first {...} block of a model answer (tolerates code fences and prose around it). */
const jsonBlock = (text: string): string | null => {
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  return start >= 0 && end > start ? text.slice(start, end + 1) : null;
};

/**
 * The chair's answer parsed and validated; null when it is not usable. A
 * participant the chair forgot gets a derived position from their last turn.
 */
export const parseChairOutcome = (text: string, participants: readonly string[], lastTurns: ReadonlyMap<string, string>): ItemOutcome | null => {
  const block = jsonBlock(text);
  if (!block) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(block);
  } catch {
    return null;
  }
  const parsed = chairSchema(participants).safeParse(raw);
  if (!parsed.success) return null;
  const seen = new Set<string>();
  const positions: Position[] = [];
  for (const p of parsed.data.positions) {
    if (seen.has(p.personaKey)) continue;
    seen.add(p.personaKey);
    positions.push({ personaKey: p.personaKey, stance: p.stance, rationale: p.rationale });
  }
  for (const key of participants) if (!seen.has(key)) positions.push(derivePosition(key, lastTurns.get(key) ?? ""));
  return { decision: parsed.data.decision, positions, dissent: parsed.data.dissent, actionItems: parsed.data.actionItems, derived: false };
};

// ─── the deterministic fallback ─────────────────────────────────────────────

/**
 * Paragraphs that are not the persona's own words: the offline model echoes
 * the prompt ("You asked: …") and appends its disclosure. Cues must not be
 * read from either.
 */
const ownWords = (text: string) =>
  text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p && !/^You asked:/.test(p) && !/^Note: this answer was written by/.test(p) && !/^What your documents say:/.test(p) && !/^- "/.test(p))
    .join("\n\n");

/** Sentences, in order (a sentence ends at . ! ? or a line break). */
export const sentences = (text: string): string[] =>
  text
    .replace(/\s*\n+\s*/g, "\n")
    .split(/(?<=[.!?])\s+|\n/)
    .map((s) => s.trim().replace(/^[-*#>\d.)\s]+(?=\S)/, ""))
    .filter((s) => s.length > 1);

// Explicit disagreement only: cautious wording ("risks we must not ignore") is not opposition.
const OPPOSE = /\b(oppose|object|disagree|against (?:this|it)|cannot support|can't support|do not support|don't support|not convinced|too risky|reject this|vote against)\b/i;
const ABSTAIN = /\b(abstain|no view|no strong view|defer to|outside my (?:area|remit)|not my (?:area|call))\b/i;
const NEXT_STEP = /\b(next step|I will|I'll|I would|I propose|I recommend|we should|action:|let me|I can own|I'll own)\b/i;

/** A participant's stance from simple cues in their last turn (support when none), rationale = its first sentence. */
export const derivePosition = (personaKey: string, lastTurn: string): Position => {
  const own = ownWords(lastTurn);
  const stance: Stance = OPPOSE.test(own) ? "oppose" : ABSTAIN.test(own) ? "abstain" : "support";
  const first = sentences(own)[0] ?? "";
  return { personaKey, stance, rationale: clip(first, MAX_RATIONALE_CHARS), derived: true };
};

/**
 * The outcome built from the turns alone:
 *  - decision: the chair's last turn's first two sentences;
 *  - each participant's stance from cues in their last turn (default support),
 *    rationale its first sentence;
 *  - dissent: the opposing rationales;
 *  - one action item per participant whose last turn names a next step (the
 *    sentence that does), owned by that persona, due in 7–14 days.
 */
export const deriveOutcome = (input: { chairKey: string; participants: readonly string[]; lastTurns: ReadonlyMap<string, string>; itemIndex: number }): ItemOutcome => {
  const chairSentences = sentences(ownWords(input.lastTurns.get(input.chairKey) ?? ""));
  const decision = clip(chairSentences.slice(0, 2).join(" ") || "No decision was recorded.", MAX_DECISION_CHARS);
  const positions = input.participants.map((k) => derivePosition(k, input.lastTurns.get(k) ?? ""));
  const opposed = positions.filter((p) => p.stance === "oppose");
  const dissent = opposed.length ? clip(opposed.map((p) => `${p.personaKey}: ${p.rationale}`).join(" "), MAX_DECISION_CHARS) : null;
  const actionItems: OutcomeActionItem[] = [];
  input.participants.forEach((k, i) => {
    const step = sentences(ownWords(input.lastTurns.get(k) ?? "")).find((s) => NEXT_STEP.test(s));
    if (step) actionItems.push({ ownerPersonaKey: k, description: clip(step, MAX_ACTION_CHARS), dueInDays: 7 + ((input.itemIndex + i) % 8) });
  });
  return { decision, positions, dissent, actionItems, derived: true };
};

/** Reads a stored positions JSON defensively (rows written by older code or edited by hand still render). */
export const readPositions = (json: unknown): Position[] => {
  const parsed = z.array(ZPosition).safeParse(json);
  return parsed.success ? parsed.data : [];
};
