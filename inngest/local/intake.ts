/**
 * Event intake: everything an accepted event does, in this order — resume
 * runs waiting for it (waitForEvent), cancel runs whose `cancelOn` matches,
 * then start the runs it triggers. The HTTP intake (`POST /e/<key>`, so also
 * step.sendEvent) and internal events (function.failed / .cancelled /
 * .invoked) all land here. Event ids are primary keys: a duplicate starts nothing.
 */
import { resolveUntil } from "./duration";
import { matches } from "./expression";
import { triggerMatches } from "./function-config";
import { ACTIVE, cancelRun, createRun, resolveWait } from "./runs";
import { json, newId } from "./values";
import type { ExecutorContext } from "./context";
import type { EventPayload, StoredEvent } from "./types";

/** Accepts events and returns their ids; the caller kicks the scheduler afterwards. */
export const send = async (ctx: ExecutorContext, payloads: EventPayload | EventPayload[]): Promise<string[]> => {
  const list = Array.isArray(payloads) ? payloads : [payloads];
  const ids: string[] = [];
  for (const p of list) {
    if (!p || typeof p.name !== "string" || !p.name) throw new Error("every event needs a name");
    const event: StoredEvent = { ...p, id: p.id || newId(), ts: p.ts || Date.now(), data: p.data ?? {} };
    ids.push(event.id);
    await ingest(ctx, event);
  }
  return ids;
};

export const ingest = async (ctx: ExecutorContext, event: StoredEvent) => {
  const { count } = await ctx.db.inngestEvent.createMany({
    data: [{ id: event.id, name: event.name, payload: json(event), ts: new Date(event.ts) }],
    skipDuplicates: true,
  });
  if (!count) return; // duplicate event id: starts nothing
  await resumeWaits(ctx, event);
  await applyCancelOn(ctx, event);
  await flushInternalEvents(ctx);
  await startRuns(ctx, event);
};

/** Ingests the internal events raised by committed transactions (see ExecutorContext.pendingEvents). */
export const flushInternalEvents = async (ctx: ExecutorContext) => {
  const evs = ctx.pendingEvents.splice(0);
  for (const e of evs) await ingest(ctx, e);
};

/** waitForEvent: `if`/`match` sees the waiting run's event as `event` and the new one as `async`. */
const resumeWaits = async (ctx: ExecutorContext, event: StoredEvent) => {
  const waits = await ctx.db.inngestWait.findMany({ where: { kind: "EVENT", eventName: event.name } });
  for (const w of waits) {
    const run = await ctx.db.inngestRun.findUnique({ where: { id: w.runId } });
    if (run && matches(w.expression, { event: run.event, async: event })) {
      await ctx.transaction((tx) => resolveWait(ctx, tx, w.id, { data: event }));
    }
  }
};

/** cancelOn: checked on intake only; a cancel's `timeout` counts from the run's creation. */
const applyCancelOn = async (ctx: ExecutorContext, event: StoredEvent) => {
  for (const fn of ctx.functions.values()) {
    const cancels = (fn.config.cancel ?? []).filter((c) => c.event === event.name);
    if (!cancels.length) continue;
    const runs = await ctx.db.inngestRun.findMany({ where: { functionId: fn.config.id, status: { in: ACTIVE } } });
    for (const run of runs) {
      const c = cancels.find((c) => {
        if (c.timeout) {
          const until = resolveUntil(c.timeout, run.createdAt.getTime());
          if (until !== null && Date.now() > until) return false;
        }
        return matches(c.if, { event: run.event, async: event });
      });
      if (c) await cancelRun(ctx, run.id);
    }
  }
};

/** All runs one event starts are created in one transaction. */
const startRuns = async (ctx: ExecutorContext, event: StoredEvent) => {
  const matching = [...ctx.functions.values()].filter((fn) => triggerMatches(fn.config, event));
  if (!matching.length) return;
  await ctx.transaction(async (tx) => {
    for (const fn of matching) await createRun(ctx, tx, fn, event);
  });
};
