import "server-only";
import type { TenantCtx } from "../context";
import { getMeeting, type MeetingDetail } from "./meetings";

/*
 * The minutes of a meeting as a Markdown document: title, goal, date,
 * participants, and per agenda item the discussion by round, the decision, the
 * positions table, dissent and action items (owner, due date). Text written by
 * models or users is inserted as Markdown text; table cells are escaped so a
 * "|" or a line break cannot break the table.
 */

const day = (d: Date) => d.toISOString().slice(0, 10);

/** A filename-safe slug of the title (ASCII letters, digits, dashes; never empty). */
export const slugify = (title: string): string => {
  const s = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/g, "");
  return s || "meeting";
};

const cell = (s: string) => s.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ").trim() || "—";

const STANCE_LABEL = { support: "Support", oppose: "Oppose", abstain: "Abstain" } as const;

export const renderMinutes = (d: MeetingDetail): string => {
  const name = new Map(d.personas.map((p) => [p.key, p.name]));
  const who = (k: string) => name.get(k) ?? k;
  const m = d.meeting;
  const out: string[] = [];
  out.push(`# ${m.title}`, "");
  out.push(`**Goal:** ${m.goal}`, "");
  out.push(`**Date:** ${day(m.startedAt ?? m.createdAt)}`, "");
  out.push(`**Participants:** ${d.personas.map((p) => (p.key === m.chairKey ? `${p.name} (chair)` : p.name)).join(", ")}`, "");
  out.push(`**Status:** ${m.status}${m.errorReason ? ` (${m.errorReason})` : ""}`, "");
  if (d.turns.some((t) => t.offline)) out.push("_Some contributions were written by the built-in offline model, not by an AI provider._", "");

  m.agenda.forEach((item, i) => {
    out.push(`## ${i + 1}. ${item}`, "");
    out.push("### Discussion", "");
    const turns = d.turns.filter((t) => t.itemIndex === i);
    if (turns.length === 0) out.push("_Not discussed._", "");
    for (let r = 1; r <= m.rounds; r++) {
      const inRound = turns.filter((t) => t.round === r);
      if (inRound.length === 0) continue;
      if (m.rounds > 1) out.push(`#### Round ${r}`, "");
      for (const t of inRound) out.push(`**${who(t.personaKey)}:**`, "", t.content.trim(), "");
    }
    const o = d.outcomes.find((x) => x.itemIndex === i);
    if (!o) {
      out.push("_No decision recorded._", "");
      return;
    }
    out.push("### Decision", "", o.decision, "");
    if (o.derived) out.push("_Derived from the discussion (the chair's structured close was not available)._", "");
    out.push("### Positions", "", "| Persona | Position | Rationale |", "| --- | --- | --- |");
    for (const p of o.positions) out.push(`| ${cell(who(p.personaKey))} | ${STANCE_LABEL[p.stance]} | ${cell(p.rationale)} |`);
    out.push("");
    out.push("### Dissent", "", o.dissent ?? "None recorded.", "");
    const actions = d.actionItems.filter((a) => a.itemIndex === i);
    out.push("### Action items", "");
    if (actions.length === 0) out.push("None.", "");
    else {
      for (const a of actions) out.push(`- [ ] **${who(a.ownerPersonaKey)}** — ${a.description.replace(/\s*\n\s*/g, " ")}${a.dueDate ? ` (due ${day(a.dueDate)})` : ""}`);
      out.push("");
    }
  });
  out.push(`---`, "", `Tokens: ${m.inputTokens} in, ${m.outputTokens} out.`, "");
  return out.join("\n");
};

export const meetingMinutes = async (ctx: TenantCtx, input: { id: string }): Promise<{ markdown: string; filename: string }> => {
  const detail = await getMeeting(ctx, input);
  return { markdown: renderMinutes(detail), filename: `${slugify(detail.meeting.title)}-minutes.md` };
};
