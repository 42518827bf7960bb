import { clip } from "../assist/clip";
import { sourceLines, type GroundingPassage } from "../assist/grounding";
import type { CurrentTask } from "./run-step";
import { MAX_DELIVERABLE_CHARS } from "./task-schemas";

// What the task's persona is asked at each step, and the deliverable as stored.

/** A passage found by the research step, numbered as the model sees it ([n]). */
export type TaskPassage = Omit<GroundingPassage, "heading">;

type PromptTask = Pick<CurrentTask, "title" | "description" | "dueDate" | "revision" | "deliverable" | "feedback">;

/** On a revision, the previous deliverable as the prompt carries it. */
const MAX_PROMPT_DELIVERABLE = 20_000;

const taskBrief = (task: PromptTask) =>
  [`Task: ${task.title}`, `Due: ${task.dueDate ? task.dueDate.toISOString().slice(0, 10) : "no due date"}`, "Description:", task.description].join("\n");

const revisionBrief = (task: PromptTask) =>
  task.revision > 1 && task.feedback
    ? [
        "",
        `This is revision ${task.revision}. Your previous deliverable was:`,
        "<previous-deliverable>",
        clip(task.deliverable ?? "(none)", MAX_PROMPT_DELIVERABLE),
        "</previous-deliverable>",
        "The user sent it back with this feedback, which this revision must address:",
        "<feedback>",
        task.feedback,
        "</feedback>",
      ].join("\n")
    : "";

export const planPrompt = (task: PromptTask) =>
  [
    "You have been given a task. Write a short numbered plan (3 to 6 steps) for how you will do it. Reply with the plan only.",
    "",
    taskBrief(task),
    revisionBrief(task),
  ].join("\n");

export const draftPrompt = (task: PromptTask, plan: string) =>
  [
    "Write the deliverable for this task in Markdown, following your plan. Where the numbered passages from the knowledge base in your context are relevant, use them and cite them as [n]. End with a \"Sources\" section listing each passage you cited as \"[n] title\". If none is relevant, say so and rely on your general expertise.",
    "",
    taskBrief(task),
    revisionBrief(task),
    "",
    "Your plan:",
    plan,
  ].join("\n");

export const reviewPrompt = (task: PromptTask, draft: string) =>
  [
    "Review your draft against the task" +
      (task.revision > 1 && task.feedback ? " and the user's feedback" : "") +
      ". Fix anything missing, wrong or unclear, keep the [n] citations and the Sources section, and reply with the improved final deliverable in Markdown only (no comments about the review).",
    "",
    taskBrief(task),
    revisionBrief(task),
    "",
    "<draft>",
    draft,
    "</draft>",
  ].join("\n");

/**
 * The deliverable as stored: Markdown with a title heading, and a Sources list
 * for the passages it cites when the model did not write one itself.
 */
export const finalDeliverable = (text: string, title: string, passages: readonly TaskPassage[]): string => {
  let md = text.trim();
  if (!/^#{1,6}\s/.test(md)) md = `# ${title}\n\n${md}`;
  const cited = passages.filter((p) => md.includes(`[${p.n}]`));
  if (cited.length > 0 && !/^(#{1,6}\s*|\*\*)?(Sources|Fuentes)\b/im.test(md)) {
    md += `\n\n## Sources\n\n${sourceLines(cited).join("\n")}`;
  }
  return clip(md, MAX_DELIVERABLE_CHARS);
};
