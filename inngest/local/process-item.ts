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

export const processItem = async (ctx: ExecutorContext, item: Item) => {
  if (item.kind === "SLEEP") return wakeSleep(ctx, item);
  return call(ctx, item);
};

const wakeSleep = (ctx: ExecutorContext, item: Item) =>
  ctx.transaction(async (tx) => {
    const run = await lockActiveRun(tx, item.runId);
    const { count } = await tx.inngestQueueItem.deleteMany({ where: { id: item.id } });
    if (!run || !count) return;
    await memoize(tx, run.id, item.stepId, "Sleep", { data: null });
    await enqueueDiscoveryIfIdle(ctx, tx, run);
  });

const call = async (ctx: ExecutorContext, item: Item) => {
  const { db } = ctx;
  const run = await db.inngestRun.findUnique({ where: { id: item.runId } });
  if (!run || !ACTIVE.includes(run.status)) {
    await db.inngestQueueItem.deleteMany({ where: { id: item.id } });
    return;
  }
  const fn = ctx.functions.get(run.functionId);
  if (!fn) {
    // Unknown function (e.g. restarted before the app synced): keep the item, look again in a second.
    ctx.log.warn("function not synced; retrying later", { functionId: run.functionId });
    await db.inngestQueueItem.update({ where: { id: item.id }, data: { leaseUntil: null, availableAt: new Date(Date.now() + 1000) } });
    return;
  }
  if (run.status === "QUEUED") {
    await db.inngestRun.updateMany({ where: { id: run.id, status: "QUEUED" }, data: { status: "RUNNING", startedAt: new Date() } });
  }
  const steps = await db.inngestStep.findMany({ where: { runId: run.id }, orderBy: { seq: "asc" } });
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
  await settle(ctx, item, response);
};
