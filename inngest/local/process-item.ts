/**
 * What happens to one leased queue item: a due SLEEP memoizes the sleep and
 * wakes the run; a CALL sends the call request (renewing the lease while it
 * is in flight, so a long step is not taken over by another executor) and
 * settles the response (settle.ts).
 */
import { buildCallRequest, postCall, type CallResponse } from "./call-request";
import { ACTIVE, enqueueDiscoveryIfIdle, lockActiveRun, memoize } from "./runs";
import { settle } from "./settle";
import type { ExecutorContext, Item } from "./context";

/**
 * Processes `item`, then the run's continuations (its next call, created
 * leased by this executor when a step settles) while `keepGoing()` holds: not
 * when the executor is stopping, nor when other work is waiting for a slot
 * (then the continuation's lease is released and it queues like any call).
 */
export const processItem = async (ctx: ExecutorContext, item: Item, keepGoing: () => boolean = () => true) => {
  if (item.kind === "SLEEP") return wakeSleep(ctx, item);
  let next = await call(ctx, item);
  while (next) {
    if (!keepGoing()) {
      await ctx.db.inngestQueueItem.updateMany({ where: { id: next.id, leaseOwner: ctx.owner }, data: { leaseUntil: null, leaseOwner: null } });
      return;
    }
    next = await call(ctx, next);
  }
};

const wakeSleep = (ctx: ExecutorContext, item: Item) =>
  ctx.transaction(async (tx) => {
    const run = await lockActiveRun(tx, item.runId);
    const { count } = await tx.inngestQueueItem.deleteMany({ where: { id: item.id } });
    if (!run || !count) return;
    await memoize(tx, run.id, item.stepId, "Sleep", { data: null });
    await enqueueDiscoveryIfIdle(ctx, tx, run);
  });

const call = async (ctx: ExecutorContext, item: Item): Promise<Item | null> => {
  const { db } = ctx;
  // Both reads at once (two pooled connections): the run and its memoized steps.
  const [run, steps] = await Promise.all([db.inngestRun.findUnique({ where: { id: item.runId } }), db.inngestStep.findMany({ where: { runId: item.runId }, orderBy: { seq: "asc" } })]);
  if (!run || !ACTIVE.includes(run.status)) {
    await db.inngestQueueItem.deleteMany({ where: { id: item.id } });
    return null;
  }
  const fn = ctx.functions.get(run.functionId);
  if (!fn) {
    // Unknown function (e.g. restarted before the app synced): keep the item, look again in a second.
    ctx.log.warn("function not synced; retrying later", { functionId: run.functionId });
    await db.inngestQueueItem.update({ where: { id: item.id }, data: { leaseUntil: null, availableAt: new Date(Date.now() + 1000) } });
    return null;
  }
  if (run.status === "QUEUED") {
    await db.inngestRun.updateMany({ where: { id: run.id, status: "QUEUED" }, data: { status: "RUNNING", startedAt: new Date() } });
  }
  const request = buildCallRequest(fn, run, item, steps, ctx.signingKey);
  const renew = setInterval(() => {
    void db.inngestQueueItem
      .updateMany({ where: { id: item.id, leaseOwner: ctx.owner }, data: { leaseUntil: new Date(Date.now() + ctx.leaseMs) } })
      .catch(() => {});
  }, Math.max(50, Math.floor(ctx.leaseMs / 3)));
  let response: CallResponse;
  try {
    response = await postCall(request, ctx.requestTimeoutMs);
  } finally {
    clearInterval(renew);
  }
  return settle(ctx, item, response);
};
