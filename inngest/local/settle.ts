/**
 * Settling one call response in one transaction that locks the run row:
 * 200 finishes the run, 206 applies its ops (ops.ts), anything else is a
 * function-level error that is retried or ends the run. The leased item is
 * deleted in the same transaction, and only if we still own its lease, so a
 * response is applied at most once even when another executor took it over.
 */
import { retryDelay, type CallResponse } from "./call-request";
import { flushInternalEvents } from "./intake";
import { applyOp } from "./ops";
import { enqueueDiscoveryIfIdle, finishRun, lockActiveRun } from "./runs";
import { json, newId, parseJson, toJsonError } from "./values";
import type { ExecutorContext, Item, Run, Tx } from "./context";
import type { OutgoingOp } from "./types";

/**
 * Returns the run's next call when settling created it already leased by this
 * executor (a continuation: one step done, the next discovery due at once), so
 * the caller sends it without a lease round trip; null otherwise.
 */
export const settle = async (ctx: ExecutorContext, item: Item, response: CallResponse): Promise<Item | null> => {
  const { status, headers, text } = response;
  const noRetry = headers.get("x-inngest-no-retry") === "true";
  const next = await ctx.transaction(async (tx): Promise<Item | null> => {
    const run = await lockActiveRun(tx, item.runId);
    const { count } = await tx.inngestQueueItem.deleteMany({ where: { id: item.id, leaseOwner: ctx.owner } });
    if (!run || !count) return null; // cancelled meanwhile, or our lease was lost to another executor
    if (item.attempt + 1 > run.attempts) {
      run.attempts = item.attempt + 1;
      await tx.inngestRun.update({ where: { id: run.id }, data: { attempts: run.attempts } });
    }
    if (status === 200) {
      await finishRun(ctx, tx, run, { data: parseJson(text) }, item.attempt + 1);
      return null;
    }
    if (status === 206) return applyOps(ctx, tx, run, item, parseJson(text), { noRetry, headers });
    await retryOrFail(ctx, tx, run, item, response, noRetry);
    return null;
  });
  // After the commit: function.failed / .cancelled raised while settling start their runs now.
  await flushInternalEvents(ctx);
  return next;
};

const applyOps = async (
  ctx: ExecutorContext,
  tx: Tx,
  run: Run,
  item: Item,
  parsed: unknown,
  response: { noRetry: boolean; headers: Headers },
): Promise<Item | null> => {
  const ops = (Array.isArray(parsed) ? parsed : [parsed]) as OutgoingOp[];
  // Several ops = parallel steps: from now on the SDK must report steps instead of running one inline.
  if (ops.length > 1 && !run.disableImmediate) {
    await tx.inngestRun.update({ where: { id: run.id }, data: { disableImmediate: true } });
  }
  for (const op of ops) await applyOp(ctx, tx, run, item, op, response);
  return enqueueDiscoveryIfIdle(ctx, tx, run, { continuation: true });
};

/**
 * How long an app that refuses connections (its process restarting: a killed
 * worker, a redeploy) is waited for without spending the run's attempts. Found
 * by the chaos run (npm run perf:chaos): with seconds of backoff, a worker
 * restart of a few seconds used up a run's attempts and then its onFailure
 * handler's, so the task it ran stayed "running" for good.
 */
export const APP_UNREACHABLE_GRACE_MS = 10 * 60_000;
/** Between two tries of an app that refused the connection. */
const REFUSED_RETRY_MAX_MS = 2_000;

/** Function-level error (500 retriable / 400 non-retriable) or transport failure (status 0). */
const retryOrFail = async (ctx: ExecutorContext, tx: Tx, run: Run, item: Item, response: CallResponse, noRetry: boolean) => {
  const { status, headers, text } = response;
  // Nothing ran: the same attempt again once the app is back. The item keeps its
  // createdAt (when this attempt was first due), which bounds the wait.
  if (response.refused && Date.now() - item.createdAt.getTime() < APP_UNREACHABLE_GRACE_MS) {
    ctx.log.warn("app refused the connection; retrying the same attempt", { runId: run.id, functionId: run.functionId, attempt: item.attempt });
    await tx.inngestQueueItem.create({
      data: {
        ...item,
        id: newId(),
        availableAt: new Date(Date.now() + Math.min(ctx.backoff(item.attempt + 1), REFUSED_RETRY_MAX_MS)),
        leaseUntil: null,
        leaseOwner: null,
        concurrency: json(item.concurrency),
      },
    });
    return;
  }
  const error = toJsonError(parseJson(text), status ? `HTTP${status}` : "ExecutorRequestError");
  const retriable = !noRetry && status !== 400;
  if (retriable && item.attempt + 1 < run.maxAttempts) {
    await tx.inngestQueueItem.create({
      data: {
        ...item,
        id: newId(),
        attempt: item.attempt + 1,
        availableAt: new Date(Date.now() + retryDelay(headers, item.attempt + 1, ctx.backoff)),
        leaseUntil: null,
        leaseOwner: null,
        concurrency: json(item.concurrency),
        createdAt: new Date(),
      },
    });
    return;
  }
  await finishRun(ctx, tx, run, { error }, item.attempt + 1);
};
