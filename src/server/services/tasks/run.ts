import "server-only";
import { db } from "~/server/db/client";
import { logger } from "~/server/infra/logger";
import { metrics } from "~/server/infra/metrics";
import { contextOf, retrieveWithTimeout, sourceLines } from "../assist/grounding";
import { askPersona, resolvePersona, type Tokens } from "../assist/persona-call";
import { draftPrompt, finalDeliverable, planPrompt, reviewPrompt, type TaskPassage } from "./prompts";
import { isTaskFailureReason, runStep, type CurrentTask, type StepResult, type TaskFailureReason, type TaskRunTarget } from "./run-step";
import type { TaskStepName } from "./task-schemas";

/*
 * The work of one task revision, one function per Inngest step (called by
 * inngest/jobs/run-task.ts): plan → research → draft → review. Each runs in
 * runStep's frame (run-step.ts: stale checks, the TaskStep row, cancel
 * polling, tokens); the prompts are in prompts.ts. The review step stores the
 * deliverable and moves the task to needs_review.
 */

export const RESEARCH_PASSAGES = 6;

/** One answer from the task's persona (its template, model and temperature in this tenant), in full. */
const write = async (task: CurrentTask, prompt: string, passages: readonly TaskPassage[], signal: AbortSignal): Promise<{ text: string } & Tokens> => {
  const persona = await resolvePersona({ tenantId: task.tenantId, userId: task.createdById, personaKey: task.personaKey });
  const answer = await askPersona({ tenantId: task.tenantId, userId: task.createdById, persona, messages: [{ role: "user", content: prompt }], context: contextOf(passages), signal });
  return { text: answer.text.trim(), ...answer.tokens };
};

// ─── the steps ──────────────────────────────────────────────────────────────

/** plan: the persona's short numbered plan (on a revision, informed by the previous deliverable and the feedback). */
export const runPlanStep = (target: TaskRunTarget): Promise<StepResult<{ plan: string }>> =>
  runStep(target, "plan", async ({ task, signal }) => {
    const w = await write(task, planPrompt(task), [], signal);
    return { value: { plan: w.text }, output: w.text, inputTokens: w.inputTokens, outputTokens: w.outputTokens };
  });

/**
 * research: the tenant's knowledge passages for the task and its plan. A
 * failing search is tolerated (logged; the draft is written without documents).
 * The step's output lists what was found (title, page); the passages
 * themselves go on to the draft as the step's memoized value.
 */
export const runResearchStep = (target: TaskRunTarget, plan: string): Promise<StepResult<{ passages: TaskPassage[] }>> =>
  runStep(target, "research", async ({ task }) => {
    const found = await retrieveWithTimeout({ tenantId: task.tenantId, query: `${task.title}\n${task.description}\n${plan}`, limit: RESEARCH_PASSAGES, purpose: "task" });
    // The step's value is memoised by Inngest and handed to the draft: only what the prompt uses.
    const passages: TaskPassage[] = found.passages.map(({ heading: _heading, ...p }) => p);
    const note = found.failure ? "The knowledge base could not be searched; the draft is written without documents." : "";
    const output = note || (passages.length === 0 ? "No relevant passages found in the knowledge base." : sourceLines(passages).join("\n"));
    return { value: { passages }, output };
  });

/** draft: the Markdown deliverable from the plan and the passages, citing them as [n]. */
export const runDraftStep = (target: TaskRunTarget, plan: string, passages: TaskPassage[]): Promise<StepResult<{ draft: string }>> =>
  runStep(target, "draft", async ({ task, signal }) => {
    const w = await write(task, draftPrompt(task, plan), passages, signal);
    return { value: { draft: w.text }, output: w.text, inputTokens: w.inputTokens, outputTokens: w.outputTokens };
  });

/**
 * review: the persona checks its draft against the task (and feedback) and
 * returns the final Markdown, stored as the deliverable; the task then waits
 * for the user's review. Nothing is stored when the task moved on meanwhile.
 */
export const runReviewStep = (target: TaskRunTarget, draft: string, passages: TaskPassage[]): Promise<StepResult<{ chars: number }>> =>
  runStep(target, "review", async ({ task, signal }) => {
    const w = await write(task, reviewPrompt(task, draft), passages, signal);
    const deliverable = finalDeliverable(w.text, task.title, passages);
    const commit = async () => {
      const res = await db.task.updateMany({
        where: { id: task.id, tenantId: task.tenantId, revision: target.revision, status: "running" },
        data: { deliverable, status: "needs_review", errorReason: null },
      });
      if (res.count !== 1) return false;
      metrics.taskRuns.add(1, { "ocsuite.outcome": "needs_review" });
      logger.info({ tenantId: task.tenantId, taskId: task.id, revision: target.revision, chars: deliverable.length }, "task ready for review");
      return true;
    };
    return { value: { chars: deliverable.length }, output: w.text, inputTokens: w.inputTokens, outputTokens: w.outputTokens, commit };
  });

/**
 * After the run failed for good: the task ends `failed` with the reason (only
 * if it is still this revision's run), steps left running are marked failed,
 * completed steps stay as they are.
 */
export const markTaskFailed = async (target: TaskRunTarget, reason: string): Promise<{ updated: boolean }> => {
  const errorReason: TaskFailureReason = isTaskFailureReason(reason) ? reason : "taskFailed";
  const now = new Date();
  const res = await db.task.updateMany({
    where: { id: target.taskId, tenantId: target.tenantId, revision: target.revision, status: { in: ["queued", "running"] } },
    data: { status: "failed", errorReason, finishedAt: now },
  });
  await db.taskStep.updateMany({
    where: { taskId: target.taskId, tenantId: target.tenantId, revision: target.revision, status: "running" },
    data: { status: "failed", finishedAt: now, output: errorReason },
  });
  if (res.count === 1) {
    metrics.taskRuns.add(1, { "ocsuite.outcome": "failed", "error.type": errorReason });
    logger.warn({ ...target, reason: errorReason }, "task failed");
  }
  return { updated: res.count === 1 };
};

/** Counts a run that found its task had moved on (cancelled, another revision, …). */
export const countStaleRun = (target: TaskRunTarget, step: TaskStepName) => {
  metrics.taskRuns.add(1, { "ocsuite.outcome": "stale" });
  logger.info({ ...target, step }, "task run stopped: the task moved on");
};
