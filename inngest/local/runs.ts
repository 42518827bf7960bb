/**
 * Run state in Postgres: creating a run (with its first call), memoizing step
 * results, locking a run while a response or wait is applied, finishing it
 * (dead letter + inngest/function.failed, parent invoke), cancelling it, and
 * resolving waits (waitForEvent, invoke, their timeouts). Every change to a
 * run happens in a transaction that holds the run row's lock (lockActiveRun),
 * so two responses or a response and a cancel never interleave.
 */
import { claimIdempotencyKey, concurrencyKeys, throttleKey } from "./flow-control";
import { maxAttemptsOf, tenantOf } from "./function-config";
import { enqueueCall } from "./queue";
import { json, newId } from "./values";
import type { ExecutorContext, Run, Tx } from "./context";
import type { JsonError, RegisteredFunction, StepState, StoredEvent } from "./types";

export const ACTIVE = ["QUEUED", "RUNNING"];

/** Creates a run and its discovery call; null when idempotency says the event starts nothing. */
export const createRun = async (
  ctx: ExecutorContext,
  tx: Tx,
  fn: RegisteredFunction,
  event: StoredEvent,
  parent?: { runId: string; stepId: string },
): Promise<string | null> => {
  const runId = newId();
  // An invoked child run always starts: idempotency applies to runs started by events.
  if (!parent && !(await claimIdempotencyKey(tx, fn, event, runId))) return null;
  await tx.inngestRun.create({
    data: {
      id: runId,
      appId: fn.appId,
      functionId: fn.config.id,
      status: "QUEUED",
      eventId: event.id,
      event: json(event),
      events: json([event]),
      tenantId: tenantOf(event),
      maxAttempts: maxAttemptsOf(fn.config, ctx.defaultRetries),
      parentRunId: parent?.runId,
      parentStepId: parent?.stepId,
    },
  });
  await enqueueCall(tx, { runId, stepId: "step", concurrency: concurrencyKeys(fn, event), throttleKey: throttleKey(fn, event) });
  return runId;
};

/**
 * Queues a discovery call when the run has nothing queued and waits on
 * nothing: parallel steps rediscover only once all of them are done. With
 * `continuation`, the call is created leased by this executor and returned,
 * so the caller sends it at once instead of going through the lease query.
 */
export const enqueueDiscoveryIfIdle = async (ctx: ExecutorContext, tx: Tx, run: Run, opts: { continuation?: boolean } = {}) => {
  // One round trip for both counts (this runs once per step).
  const counted = await tx.$queryRaw<{ pending: number }[]>`
    SELECT ((SELECT count(*) FROM "InngestQueueItem" WHERE "runId" = ${run.id}) + (SELECT count(*) FROM "InngestWait" WHERE "runId" = ${run.id}))::int AS pending`;
  if ((counted[0]?.pending ?? 0) > 0) return null;
  const fn = ctx.functions.get(run.functionId);
  const event = run.event as unknown as StoredEvent;
  const item = { runId: run.id, stepId: "step", concurrency: fn ? concurrencyKeys(fn, event) : [] };
  return enqueueCall(tx, item, opts.continuation ? { owner: ctx.owner, leaseMs: ctx.leaseMs } : undefined);
};

/** Locks the run row for the rest of the transaction; null when the run is no longer active. */
export const lockActiveRun = async (tx: Tx, runId: string) => {
  await tx.$queryRaw`SELECT id FROM "InngestRun" WHERE id = ${runId} FOR UPDATE`;
  const run = await tx.inngestRun.findUnique({ where: { id: runId } });
  return run && ACTIVE.includes(run.status) ? run : null;
};

/** Records a step's result once: a step recorded as done is never sent again (skipDuplicates). */
export const memoize = (tx: Tx, runId: string, stepId: string, op: string, state: StepState, name?: string) =>
  tx.inngestStep.createMany({
    data: [
      {
        runId,
        stepId,
        op,
        name: name ?? null,
        data: "data" in state ? json(state.data) : undefined,
        error: "error" in state ? json(state.error) : undefined,
      },
    ],
    skipDuplicates: true,
  });

export const finishRun = async (
  ctx: ExecutorContext,
  tx: Tx,
  run: Run,
  outcome: { data: unknown } | { error: JsonError },
  attempts: number,
) => {
  const failed = "error" in outcome;
  await tx.inngestRun.update({
    where: { id: run.id },
    data: {
      status: failed ? "FAILED" : "COMPLETED",
      output: failed ? undefined : json(outcome.data),
      error: failed ? json(outcome.error) : undefined,
      finishedAt: new Date(),
    },
  });
  await tx.inngestQueueItem.deleteMany({ where: { runId: run.id } });
  await tx.inngestWait.deleteMany({ where: { runId: run.id } });
  if (failed) await recordFailure(ctx, tx, run, outcome.error, attempts);
  if (run.parentRunId && run.parentStepId) {
    const wait = await tx.inngestWait.findFirst({ where: { runId: run.parentRunId, childRunId: run.id } });
    if (wait) await resolveWait(ctx, tx, wait.id, failed ? { error: outcome.error } : { data: outcome.data });
  }
};

/** Dead letter + inngest/function.failed (which triggers onFailure handlers, as Inngest does). */
const recordFailure = async (ctx: ExecutorContext, tx: Tx, run: Run, error: JsonError, attempts: number) => {
  const event = run.event as unknown as StoredEvent;
  await tx.inngestDeadLetter.createMany({
    data: [
      {
        functionId: run.functionId,
        runId: run.id,
        eventId: run.eventId,
        eventName: event.name,
        event: json(event),
        tenantId: run.tenantId,
        errorName: error.name,
        errorMessage: error.message,
        error: json(error),
        attempts: Math.max(attempts, run.attempts),
      },
    ],
    skipDuplicates: true,
  });
  // An onFailure handler that fails itself must not raise another failure event.
  if (event.name !== "inngest/function.failed") {
    ctx.pendingEvents.push({
      id: newId(),
      name: "inngest/function.failed",
      ts: Date.now(),
      data: { error, event, function_id: run.functionId, run_id: run.id },
    });
  }
};

/** Memoizes a wait's outcome (event, child result, timeout) and wakes the run; false when it was already resolved. */
export const resolveWait = async (ctx: ExecutorContext, tx: Tx, waitId: string, state: StepState) => {
  const wait = await tx.inngestWait.findUnique({ where: { id: waitId } });
  if (!wait) return false;
  const run = await lockActiveRun(tx, wait.runId);
  const { count } = await tx.inngestWait.deleteMany({ where: { id: waitId } });
  if (!count || !run) return false;
  await memoize(tx, run.id, wait.stepId, wait.kind === "INVOKE" ? "InvokeFunction" : "WaitForEvent", state);
  await enqueueDiscoveryIfIdle(ctx, tx, run);
  return true;
};

/** Times out due waits: waitForEvent resolves to null, invoke to InngestInvokeTimeoutError. */
export const expireWaits = async (ctx: ExecutorContext) => {
  const due = await ctx.db.inngestWait.findMany({ where: { expiresAt: { lte: new Date() } }, take: 100 });
  for (const w of due) {
    const state: StepState =
      w.kind === "INVOKE"
        ? { error: { name: "InngestInvokeTimeoutError", message: "Timed out waiting for the invoked function to complete" } }
        : { data: null };
    await ctx.transaction((tx) => resolveWait(ctx, tx, w.id, state));
  }
};

/** Cancels an active run (cancelOn, or the API); the .cancelled event is ingested at the next flush. */
export const cancelRun = async (ctx: ExecutorContext, runId: string) => {
  await ctx.transaction(async (tx) => {
    const run = await lockActiveRun(tx, runId);
    if (!run) return;
    await tx.inngestRun.update({ where: { id: runId }, data: { status: "CANCELLED", finishedAt: new Date() } });
    await tx.inngestQueueItem.deleteMany({ where: { runId } });
    await tx.inngestWait.deleteMany({ where: { runId } });
    ctx.pendingEvents.push({
      id: newId(),
      name: "inngest/function.cancelled",
      ts: Date.now(),
      data: { event: run.event, function_id: run.functionId, run_id: run.id },
    });
  });
};

/** Resolves when the run reaches one of `statuses` (polling Postgres). */
export const waitForRun = async (
  ctx: ExecutorContext,
  runId: string,
  statuses = ["COMPLETED", "FAILED", "CANCELLED"],
  timeoutMs = 20_000,
) => {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const run = await ctx.db.inngestRun.findUnique({ where: { id: runId } });
    if (run && statuses.includes(run.status)) return run;
    if (Date.now() > until) throw new Error(`run ${runId} still ${run?.status ?? "missing"} after ${timeoutMs}ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
};
