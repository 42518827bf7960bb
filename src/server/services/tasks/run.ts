import "server-only";
import { db } from "~/server/db/client";
import { isAppError } from "~/server/errors";
import { logger } from "~/server/infra/logger";
import { metrics } from "~/server/infra/metrics";
import { withSpan } from "~/server/infra/tracing";
import { passageSource } from "../chat/turns";
import { retrievePassages } from "../knowledge/retrieval";
import { LLM_ERROR_REASONS, streamChat } from "../llm/gateway";
import { resolvePersonaForChat } from "../personas/resolve";
import { MAX_DELIVERABLE_CHARS, type TaskStepName } from "./tasks";

/*
 * The work of one task revision, one function per Inngest step (called by
 * inngest/jobs/run-task.ts): plan → research → draft → review.
 *
 * Every step:
 *  - first re-reads the task and does nothing ("stale") when the task has moved
 *    on: another revision, cancelled, accepted, failed;
 *  - records itself in TaskStep, upserted on (taskId, revision, name), so an
 *    Inngest retry of the step overwrites its row instead of adding one;
 *  - watches the task while the model writes, and aborts the call as soon as
 *    the task is cancelled (or sent to another revision), so cancel stops work
 *    mid-step and not only between steps;
 *  - writes only conditionally (the step row only while it is `running`, the
 *    task only while it is `running` at this revision), so a step finishing
 *    after a cancel changes nothing the user has seen;
 *  - adds the tokens it spent to the task's totals (spent is spent: a retried
 *    attempt's tokens count too).
 * The first step moves the task queued → running (startedAt); the review step
 * stores the deliverable and moves it to needs_review.
 */

export type TaskRunTarget = { tenantId: string; taskId: string; revision: number };

/** A passage found by the research step, numbered as the model sees it ([n]). */
export type TaskPassage = { n: number; chunkId: string; documentId: string; title: string; page: number | null; text: string };

export type StepResult<T> = { status: "stale" } | { status: "complete"; value: T };

/** How often a step checks whether its task was cancelled while the model writes. */
export const CANCEL_POLL_MS = 250;
export const RESEARCH_PASSAGES = 6;
const MAX_PROMPT_DELIVERABLE = 20_000;
const MAX_PASSAGE_CHARS = 1_500;

/** Why a task failed (Task.errorReason): the model's reasons, persona problems, or the catch-all. */
export const TASK_FAILURE_REASONS = [
  ...LLM_ERROR_REASONS,
  "personaDisabled",
  "personaModelMissing",
  "credentialUnusable",
  "notFound",
  "jobsUnavailable",
  "tenantSuspended",
  "taskFailed",
] as const;
export type TaskFailureReason = (typeof TASK_FAILURE_REASONS)[number];
export const isTaskFailureReason = (s: unknown): s is TaskFailureReason => typeof s === "string" && (TASK_FAILURE_REASONS as readonly string[]).includes(s);

/** Retrying cannot help: configuration problems and refused requests. */
const PERMANENT: ReadonlySet<string> = new Set<string>(["providerAuthFailed", "providerRejected", "providerAddressBlocked", "personaDisabled", "personaModelMissing", "credentialUnusable", "notFound"]);

/**
 * A step failure with its stable reason; the job turns it into a retried error
 * or, when `retriable` is false, a NonRetriableError. The message is the reason
 * (onFailure reads it back); details are logged where the failure happens.
 */
export class TaskRunError extends Error {
  constructor(
    readonly reason: TaskFailureReason,
    readonly retriable: boolean,
  ) {
    super(reason);
    this.name = "TaskRunError";
  }
}

const toTaskRunError = (err: unknown): TaskRunError => {
  if (err instanceof TaskRunError) return err;
  const reason = isAppError(err) && isTaskFailureReason(err.reason) ? err.reason : "taskFailed";
  return new TaskRunError(reason, !PERMANENT.has(reason));
};

type CurrentTask = {
  id: string;
  tenantId: string;
  createdById: string | null;
  personaKey: string;
  title: string;
  description: string;
  dueDate: Date | null;
  status: string;
  revision: number;
  deliverable: string | null;
  feedback: string | null;
};

/** The task when this revision is still the one to run (queued or running), else null. */
const loadCurrent = async (t: TaskRunTarget): Promise<CurrentTask | null> => {
  const task = await db.task.findFirst({
    where: { id: t.taskId, tenantId: t.tenantId },
    select: { id: true, tenantId: true, createdById: true, personaKey: true, title: true, description: true, dueDate: true, status: true, revision: true, deliverable: true, feedback: true },
  });
  if (!task || task.revision !== t.revision || (task.status !== "queued" && task.status !== "running")) return null;
  return task;
};

const stillCurrent = async (t: TaskRunTarget) => {
  const row = await db.task.findFirst({ where: { id: t.taskId, tenantId: t.tenantId }, select: { status: true, revision: true } });
  return !!row && row.revision === t.revision && (row.status === "queued" || row.status === "running");
};

/** The task moved on while the step worked: end the step as cancelled, not failed. */
class StaleTask extends Error {}

type StepWork<T> = (ctx: { task: CurrentTask; signal: AbortSignal }) => Promise<{
  value: T;
  output: string;
  inputTokens?: number;
  outputTokens?: number;
  /** Applied after the step is recorded complete; false = the task moved on meanwhile. */
  commit?: () => Promise<boolean>;
}>;

const runStep = async <T>(target: TaskRunTarget, name: TaskStepName, work: StepWork<T>): Promise<StepResult<T>> =>
  withSpan(`task.step ${name}`, { "ocsuite.tenant.id": target.tenantId, "ocsuite.task.id": target.taskId, "ocsuite.task.revision": target.revision, "ocsuite.task.step": name }, async (span) => {
    const task = await loadCurrent(target);
    if (!task) {
      span.setAttribute("ocsuite.task.stale", true);
      return { status: "stale" as const };
    }
    const startedAt = new Date();
    const t0 = performance.now();
    // The first step to run moves the task to running (a no-op for later steps).
    await db.task.updateMany({ where: { id: task.id, tenantId: task.tenantId, revision: target.revision, status: "queued" }, data: { status: "running", startedAt } });
    // Steps run at least once, not exactly once: a duplicate execution (a
    // redelivered call, possibly while the first is still running) must not
    // clobber a step another execution already completed. So the row is
    // created if missing and reset only while it is not complete; a duplicate
    // of a completed step still computes its value for the engine, but every
    // row write below is conditional on status "running" and leaves it alone.
    const key = { taskId_revision_name: { taskId: task.id, revision: target.revision, name } };
    const reset = { status: "running", startedAt, finishedAt: null, durationMs: null, output: null, inputTokens: null, outputTokens: null };
    const row =
      (await db.taskStep.findUnique({ where: key, select: { id: true } })) ??
      (await db.taskStep
        .create({ data: { taskId: task.id, tenantId: task.tenantId, revision: target.revision, name, status: "running", startedAt }, select: { id: true } })
        .catch(async (err: unknown) => {
          // Two executions raced to create it: use the winner's row.
          const existing = await db.taskStep.findUnique({ where: key, select: { id: true } });
          if (!existing) throw err;
          return existing;
        }));
    await db.taskStep.updateMany({ where: { id: row.id, status: { not: "complete" } }, data: reset });
    const finish = async (status: "complete" | "failed" | "cancelled", data: { output?: string | null; inputTokens?: number; outputTokens?: number } = {}) => {
      const finishedAt = new Date();
      const durationMs = Math.round(performance.now() - t0);
      metrics.taskSteps.observe({ step: name, outcome: status }, durationMs / 1000);
      await db.taskStep.updateMany({ where: { id: row.id, status: "running" }, data: { status, finishedAt, durationMs, ...data } });
    };

    // Stop the model as soon as the task is cancelled or moves to another revision.
    const ctl = new AbortController();
    let stale = false;
    const check = async () => {
      if (stale || ctl.signal.aborted) return;
      try {
        if (!(await stillCurrent(target))) {
          stale = true;
          ctl.abort(new DOMException("task cancelled", "AbortError"));
        }
      } catch (err) {
        logger.warn({ err, taskId: task.id }, "task cancel check failed");
      }
    };
    await check(); // a cancel that landed between loadCurrent and the upsert
    const timer = setInterval(() => void check(), CANCEL_POLL_MS);
    timer.unref?.();

    try {
      if (stale) throw new StaleTask();
      const res = await work({ task, signal: ctl.signal });
      clearInterval(timer);
      await check();
      const inputTokens = res.inputTokens ?? 0;
      const outputTokens = res.outputTokens ?? 0;
      if (inputTokens || outputTokens) {
        await db.task.updateMany({ where: { id: task.id, tenantId: task.tenantId }, data: { inputTokens: { increment: inputTokens }, outputTokens: { increment: outputTokens } } });
      }
      if (stale) {
        await finish("cancelled", { inputTokens, outputTokens });
        return { status: "stale" as const };
      }
      await finish("complete", { output: res.output, inputTokens, outputTokens });
      span.setAttributes({ "gen_ai.usage.input_tokens": inputTokens, "gen_ai.usage.output_tokens": outputTokens });
      // The step's effect on the task (the review's deliverable) lands last, conditionally.
      if (res.commit && !(await res.commit())) {
        span.setAttribute("ocsuite.task.stale", true);
        return { status: "stale" as const };
      }
      return { status: "complete" as const, value: res.value };
    } catch (err) {
      if (stale || err instanceof StaleTask) {
        await finish("cancelled");
        span.setAttribute("ocsuite.task.stale", true);
        return { status: "stale" as const };
      }
      const e = toTaskRunError(err);
      logger.warn({ err, tenantId: task.tenantId, taskId: task.id, revision: target.revision, step: name, reason: e.reason, retriable: e.retriable }, "task step failed");
      await finish("failed", { output: e.reason });
      throw e;
    } finally {
      clearInterval(timer);
    }
  });

// ─── the model ──────────────────────────────────────────────────────────────

type Written = { text: string; inputTokens: number; outputTokens: number };

const localeOf = async (userId: string | null) => (userId ? ((await db.user.findUnique({ where: { id: userId }, select: { locale: true } }))?.locale ?? null) : null);

/** One answer from the task's persona (its template, model and temperature in this tenant), consumed in full. */
const write = async (task: CurrentTask, prompt: string, passages: readonly TaskPassage[], signal: AbortSignal): Promise<Written> => {
  const persona = await resolvePersonaForChat({ tenantId: task.tenantId, userId: task.createdById }, task.personaKey, { locale: await localeOf(task.createdById) });
  const stream = streamChat({
    tenantId: task.tenantId,
    userId: task.createdById,
    personaKey: persona.key,
    messages: [{ role: "user", content: prompt }],
    model: persona.model,
    persona: persona.template,
    tenantProfile: persona.tenantProfile,
    temperature: persona.temperature,
    context: passages.map((p) => ({ title: passageSource(p), text: p.text })),
    signal,
    // Nobody watches a task's words arrive: the offline model need not pace itself.
    offlineChunkDelayMs: 0,
  });
  for await (const _ of stream.textStream) {
    // consumed for completeness; the full text comes with the result
  }
  const r = await stream.result;
  return { text: r.text.trim(), inputTokens: r.usage.inputTokens ?? 0, outputTokens: r.usage.outputTokens ?? 0 };
};

// ─── prompts ────────────────────────────────────────────────────────────────

const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1).trimEnd()}…`);

const taskBrief = (task: CurrentTask) =>
  [`Task: ${task.title}`, `Due: ${task.dueDate ? task.dueDate.toISOString().slice(0, 10) : "no due date"}`, "Description:", task.description].join("\n");

const revisionBrief = (task: CurrentTask) =>
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

export const planPrompt = (task: CurrentTask) =>
  [
    "You have been given a task. Write a short numbered plan (3 to 6 steps) for how you will do it. Reply with the plan only.",
    "",
    taskBrief(task),
    revisionBrief(task),
  ].join("\n");

export const draftPrompt = (task: CurrentTask, plan: string) =>
  [
    "Write the deliverable for this task in Markdown, following your plan. Where the numbered passages from the knowledge base in your context are relevant, use them and cite them as [n]. End with a \"Sources\" section listing each passage you cited as \"[n] title\". If none is relevant, say so and rely on your general expertise.",
    "",
    taskBrief(task),
    revisionBrief(task),
    "",
    "Your plan:",
    plan,
  ].join("\n");

export const reviewPrompt = (task: CurrentTask, draft: string) =>
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
    md += `\n\n## Sources\n\n${cited.map((p) => `[${p.n}] ${passageSource(p)}`).join("\n")}`;
  }
  return clip(md, MAX_DELIVERABLE_CHARS);
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
    let passages: TaskPassage[] = [];
    let note = "";
    try {
      const found = await retrievePassages({ tenantId: task.tenantId }, `${task.title}\n${task.description}\n${plan}`, { limit: RESEARCH_PASSAGES });
      passages = found.map((p, i) => ({ n: i + 1, chunkId: p.chunkId, documentId: p.documentId, title: p.documentTitle, page: p.page, text: clip(p.text.trim(), MAX_PASSAGE_CHARS) }));
    } catch (err) {
      logger.warn({ err, tenantId: task.tenantId, taskId: task.id }, "task research failed; drafting without documents");
      note = "The knowledge base could not be searched; the draft is written without documents.";
    }
    const output = note || (passages.length === 0 ? "No relevant passages found in the knowledge base." : passages.map((p) => `[${p.n}] ${passageSource(p)}`).join("\n"));
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
      metrics.taskRuns.inc({ outcome: "needs_review", reason: "" });
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
    metrics.taskRuns.inc({ outcome: "failed", reason: errorReason });
    logger.warn({ ...target, reason: errorReason }, "task failed");
  }
  return { updated: res.count === 1 };
};

/** Counts a run that found its task had moved on (cancelled, another revision, …). */
export const countStaleRun = (target: TaskRunTarget, step: TaskStepName) => {
  metrics.taskRuns.inc({ outcome: "stale", reason: "" });
  logger.info({ ...target, step }, "task run stopped: the task moved on");
};
