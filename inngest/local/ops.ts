/**
 * Applying the ops of a 206 response (SDK spec 4.3): one handler per op —
 * StepRun/StepFailed/StepError memoize or retry a step, StepPlanned queues a
 * parallel step, Sleep/WaitForEvent/InvokeFunction park the run, RunComplete
 * finishes it; anything else retries the discovery call. Each handler runs
 * inside settle.ts's transaction, which holds the run's row lock.
 */
import { retryDelay } from "./call-request";
import { resolveUntil } from "./duration";
import { enqueueCall } from "./queue";
import { createRun, finishRun, memoize } from "./runs";
import { json, newId, toJsonError } from "./values";
import type { ExecutorContext, Item, Run, Tx } from "./context";
import type { EventPayload, OutgoingOp, StoredEvent } from "./types";

/** What one op handler needs: the settle transaction, the run, the item that was called and the response. */
export type OpInput = {
  ctx: ExecutorContext;
  tx: Tx;
  run: Run;
  item: Item;
  op: OutgoingOp;
  /** The step's display name as memoized (SDK v4 sends `displayName` or `userland.id`). */
  name: string | undefined;
  opts: Record<string, unknown>;
  noRetry: boolean;
  headers: Headers;
};

type OpHandler = (input: OpInput) => Promise<unknown>;

const stepRun: OpHandler = ({ tx, run, op, name }) => memoize(tx, run.id, op.id, op.op, { data: op.data ?? null }, name);

const stepFailed: OpHandler = ({ tx, run, op, name }) => memoize(tx, run.id, op.id, op.op, { error: toJsonError(op.error) }, name);

/** A retriable step error: the step's own attempt counter decides between a retry and StepFailed. */
const stepError: OpHandler = async ({ ctx, tx, run, item, op, name, noRetry, headers }) => {
  // The attempt belongs to the step: an error in a step other than the one called starts at 0.
  const attempt = op.id === item.stepId ? item.attempt : 0;
  if (!noRetry && attempt + 1 < run.maxAttempts) {
    await enqueueCall(tx, {
      runId: run.id,
      stepId: op.id,
      attempt: attempt + 1,
      availableAt: new Date(Date.now() + retryDelay(headers, attempt + 1, ctx.backoff)),
      concurrency: item.concurrency,
    });
  } else {
    await memoize(tx, run.id, op.id, "StepFailed", { error: toJsonError(op.error) }, name);
  }
};

/** A parallel step to run on its own call; planned again by later discoveries, so queued once. */
const stepPlanned: OpHandler = async ({ tx, run, item, op }) => {
  const [exists, done] = await Promise.all([
    tx.inngestQueueItem.count({ where: { runId: run.id, stepId: op.id } }),
    tx.inngestStep.count({ where: { runId: run.id, stepId: op.id } }),
  ]);
  if (exists || done) return;
  await enqueueCall(tx, { runId: run.id, stepId: op.id, concurrency: item.concurrency });
};

const sleep: OpHandler = async ({ tx, run, op, opts }) => {
  if (await tx.inngestQueueItem.count({ where: { runId: run.id, stepId: op.id } })) return;
  // SDK v4 puts the duration (time string or ISO date) in `name`; the spec puts it in opts.duration.
  const until = resolveUntil((opts.duration as string | undefined) ?? op.name, Date.now()) ?? Date.now();
  // A SLEEP item holds no concurrency slot; leasing it just memoizes the sleep (process-item.ts).
  await tx.inngestQueueItem.create({ data: { id: newId(), runId: run.id, kind: "SLEEP", stepId: op.id, availableAt: new Date(until) } });
};

const waitForEvent: OpHandler = async ({ tx, run, op, opts }) => {
  if (await tx.inngestWait.count({ where: { runId: run.id, stepId: op.id } })) return;
  const until = resolveUntil(opts.timeout as string, Date.now());
  await tx.inngestWait.create({
    data: {
      id: newId(),
      runId: run.id,
      stepId: op.id,
      kind: "EVENT",
      // SDK v4 puts the event name in `name`; the spec puts it in opts.event.
      eventName: String(opts.event ?? op.name),
      expression: (opts.if as string | undefined) ?? null,
      expiresAt: until ? new Date(until) : null,
    },
  });
};

/** step.invoke: a child run on an inngest/function.invoked event; its outcome resolves the wait (runs.ts). */
const invokeFunction: OpHandler = async ({ ctx, tx, run, op, opts }) => {
  if (await tx.inngestWait.count({ where: { runId: run.id, stepId: op.id } })) return;
  const target = ctx.functions.get(String(opts.function_id));
  const until = resolveUntil(opts.timeout as string, Date.now());
  if (!target) {
    await memoize(tx, run.id, op.id, op.op, {
      error: { name: "Error", message: `could not find function ${String(opts.function_id)} to invoke` },
    });
    return;
  }
  const payload = (opts.payload ?? {}) as EventPayload;
  const event: StoredEvent = {
    ...payload,
    id: newId(),
    name: "inngest/function.invoked",
    ts: Date.now(),
    data: { ...(payload.data ?? {}), _inngest: { source_app_id: run.appId, source_fn_id: run.functionId, source_fn_v: 1 } },
  };
  await tx.inngestEvent.create({ data: { id: event.id, name: event.name, payload: json(event), ts: new Date(event.ts) } });
  const childRunId = await createRun(ctx, tx, target, event, { runId: run.id, stepId: op.id });
  await tx.inngestWait.create({
    data: { id: newId(), runId: run.id, stepId: op.id, kind: "INVOKE", childRunId, expiresAt: until ? new Date(until) : null },
  });
};

const runComplete: OpHandler = ({ ctx, tx, run, item, op }) => finishRun(ctx, tx, run, { data: op.data ?? null }, item.attempt + 1);

/** Unknown op or a step the SDK could not find (StepNotFound): retry the discovery call. */
const unsupported: OpHandler = async ({ ctx, tx, run, item, op }) => {
  ctx.log.warn("unsupported op; retrying the call", { op: op.op, runId: run.id });
  if (item.attempt + 1 < run.maxAttempts) {
    await enqueueCall(tx, {
      runId: run.id,
      stepId: "step",
      attempt: item.attempt + 1,
      availableAt: new Date(Date.now() + ctx.backoff(item.attempt + 1)),
      concurrency: item.concurrency,
    });
  } else {
    await finishRun(ctx, tx, run, { error: { name: "UnsupportedOp", message: `unsupported op ${op.op}` } }, item.attempt + 1);
  }
};

const handlers: Partial<Record<string, OpHandler>> = {
  Step: stepRun,
  StepRun: stepRun,
  StepFailed: stepFailed,
  StepError: stepError,
  StepPlanned: stepPlanned,
  Sleep: sleep,
  WaitForEvent: waitForEvent,
  InvokeFunction: invokeFunction,
  RunComplete: runComplete,
};

export const applyOp = async (
  ctx: ExecutorContext,
  tx: Tx,
  run: Run,
  item: Item,
  op: OutgoingOp,
  response: { noRetry: boolean; headers: Headers },
) => {
  const name = op.displayName ?? (op as { userland?: { id?: string } }).userland?.id ?? op.name;
  const handler = (Object.hasOwn(handlers, op.op) ? handlers[op.op] : undefined) ?? unsupported;
  await handler({ ctx, tx, run, item, op, name, opts: op.opts ?? {}, ...response });
};
