import "server-only";
import { db } from "~/server/db/client";
import { isAppError } from "~/server/errors";
import { logger } from "~/server/infra/logger";
import { metrics } from "~/server/infra/metrics";
import { withSpan } from "~/server/infra/tracing";
import { FAILURE_REASONS, isPermanent } from "../assist/failures";
import { addTokens } from "../assist/persona-call";
import type { TaskStepName } from "./task-schemas";

/*
 * The frame every step of a task run works in (the steps are in run.ts).
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
 * The first step moves the task queued → running (startedAt).
 */

export type TaskRunTarget = { tenantId: string; taskId: string; revision: number };

export type StepResult<T> = { status: "stale" } | { status: "complete"; value: T };

/** How often a step checks whether its task was cancelled while the model writes. */
export const CANCEL_POLL_MS = 250;

/** Why a task failed (Task.errorReason): the shared reasons, the engine being unreachable, or the catch-all. */
export const TASK_FAILURE_REASONS = [...FAILURE_REASONS, "jobsUnavailable", "taskFailed"] as const;
export type TaskFailureReason = (typeof TASK_FAILURE_REASONS)[number];
export const isTaskFailureReason = (s: unknown): s is TaskFailureReason => typeof s === "string" && (TASK_FAILURE_REASONS as readonly string[]).includes(s);

/**
 * A step failure with its stable reason; the job turns it into a retried error
 * or, when `retriable` is false, a NonRetriableError. The message is the reason
 * (onFailure reads it back); details are logged where the failure happens.
 */
export class TaskRunError extends Error {
  readonly retriable: boolean;
  constructor(readonly reason: TaskFailureReason) {
    super(reason);
    this.name = "TaskRunError";
    this.retriable = !isPermanent(reason);
  }
}

const toTaskRunError = (err: unknown): TaskRunError => {
  if (err instanceof TaskRunError) return err;
  return new TaskRunError(isAppError(err) && isTaskFailureReason(err.reason) ? err.reason : "taskFailed");
};

export type CurrentTask = {
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

export type StepWork<T> = (ctx: { task: CurrentTask; signal: AbortSignal }) => Promise<{
  value: T;
  output: string;
  inputTokens?: number;
  outputTokens?: number;
  /** Applied after the step is recorded complete; false = the task moved on meanwhile. */
  commit?: () => Promise<boolean>;
}>;

type StepFinish = (status: "complete" | "failed" | "cancelled", data?: { output?: string | null; inputTokens?: number; outputTokens?: number }) => Promise<void>;

/**
 * The step's TaskStep row, (re)set to running; returns how to finish it.
 * Steps run at least once, not exactly once: a duplicate execution (a
 * redelivered call, possibly while the first is still running) must not
 * clobber a step another execution already completed. So the row is created
 * if missing and reset only while it is not complete; a duplicate of a
 * completed step still computes its value for the engine, but every row write
 * is conditional on status "running" and leaves it alone.
 */
const openStepRow = async (task: CurrentTask, revision: number, name: TaskStepName, startedAt: Date): Promise<StepFinish> => {
  const t0 = performance.now();
  const key = { taskId_revision_name: { taskId: task.id, revision, name } };
  const reset = { status: "running", startedAt, finishedAt: null, durationMs: null, output: null, inputTokens: null, outputTokens: null };
  const row =
    (await db.taskStep.findUnique({ where: key, select: { id: true } })) ??
    (await db.taskStep
      .create({ data: { taskId: task.id, tenantId: task.tenantId, revision, name, status: "running", startedAt }, select: { id: true } })
      .catch(async (err: unknown) => {
        // Two executions raced to create it: use the winner's row.
        const existing = await db.taskStep.findUnique({ where: key, select: { id: true } });
        if (!existing) throw err;
        return existing;
      }));
  await db.taskStep.updateMany({ where: { id: row.id, tenantId: task.tenantId, status: { not: "complete" } }, data: reset });
  return async (status, data = {}) => {
    const finishedAt = new Date();
    const durationMs = Math.round(performance.now() - t0);
    metrics.taskStepDuration.record(durationMs / 1000, { "ocsuite.task.step": name, "ocsuite.outcome": status });
    await db.taskStep.updateMany({ where: { id: row.id, tenantId: task.tenantId, status: "running" }, data: { status, finishedAt, durationMs, ...data } });
  };
};

/** Polls the task while the step works and aborts `signal` as soon as it moves on (cancelled, another revision). */
const watchTask = (target: TaskRunTarget) => {
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
      logger.warn({ err, taskId: target.taskId }, "task cancel check failed");
    }
  };
  let timer: ReturnType<typeof setInterval> | undefined;
  return {
    signal: ctl.signal,
    isStale: () => stale,
    check,
    start: () => {
      timer = setInterval(() => void check(), CANCEL_POLL_MS);
      timer.unref?.();
    },
    stop: () => clearInterval(timer),
  };
};

/** Runs one step's work in the frame described at the top of this file. */
export const runStep = async <T>(target: TaskRunTarget, name: TaskStepName, work: StepWork<T>): Promise<StepResult<T>> =>
  withSpan(`task.step ${name}`, { "ocsuite.tenant.id": target.tenantId, "ocsuite.task.id": target.taskId, "ocsuite.task.revision": target.revision, "ocsuite.task.step": name }, async (span) => {
    const staleResult = () => {
      span.setAttribute("ocsuite.task.stale", true);
      return { status: "stale" as const };
    };
    const task = await loadCurrent(target);
    if (!task) return staleResult();
    const startedAt = new Date();
    // The first step to run moves the task to running (a no-op for later steps).
    await db.task.updateMany({ where: { id: task.id, tenantId: task.tenantId, revision: target.revision, status: "queued" }, data: { status: "running", startedAt } });
    const finish = await openStepRow(task, target.revision, name, startedAt);

    const watch = watchTask(target);
    await watch.check(); // a cancel that landed between loadCurrent and the upsert
    watch.start();
    try {
      if (watch.isStale()) throw new StaleTask();
      const res = await work({ task, signal: watch.signal });
      watch.stop();
      await watch.check();
      const inputTokens = res.inputTokens ?? 0;
      const outputTokens = res.outputTokens ?? 0;
      if (inputTokens || outputTokens) await db.task.updateMany({ where: { id: task.id, tenantId: task.tenantId }, data: addTokens({ inputTokens, outputTokens }) });
      if (watch.isStale()) {
        await finish("cancelled", { inputTokens, outputTokens });
        return { status: "stale" as const };
      }
      await finish("complete", { output: res.output, inputTokens, outputTokens });
      span.setAttributes({ "gen_ai.usage.input_tokens": inputTokens, "gen_ai.usage.output_tokens": outputTokens });
      // The step's effect on the task (the review's deliverable) lands last, conditionally.
      if (res.commit && !(await res.commit())) return staleResult();
      return { status: "complete" as const, value: res.value };
    } catch (err) {
      if (watch.isStale() || err instanceof StaleTask) {
        await finish("cancelled");
        return staleResult();
      }
      const e = toTaskRunError(err);
      logger.warn({ err, tenantId: task.tenantId, taskId: task.id, revision: target.revision, step: name, reason: e.reason, retriable: e.retriable }, "task step failed");
      await finish("failed", { output: e.reason });
      throw e;
    } finally {
      watch.stop();
    }
  });
