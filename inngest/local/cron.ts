/**
 * Cron triggers: a timer of its own, apart from the lease loop (scheduler.ts)
 * so a check never delays leasing, that every `intervalMs` looks at the cron
 * triggers of the synced functions and starts a run for each tick that is due
 * (cron-schedule.ts: due for one minute, never backfilled).
 *
 * Exactly once per (function, tick), across restarts and across executors
 * sharing the database: the run's event id is derived from both
 * (cronEventId), and the run is created in the transaction that inserts that
 * event row, so the InngestEvent primary key lets one insert win and the run
 * exists if and only if the event does. The run goes through createRun like an
 * event-triggered one, so concurrency, throttle and idempotency apply.
 *
 * Before firing, the function's config is read again from Postgres: a re-sync
 * through any executor that removed or changed the trigger stops the old
 * schedule at its next tick, even on an executor whose in-memory configs
 * (ctx.functions) predate that sync.
 */
import { cronEvent, cronTriggersOf, dueTick, parseCron, type CronSchedule } from "./cron-schedule";
import { createRun } from "./runs";
import { registeredFunction } from "./sync";
import { json } from "./values";
import type { ExecutorContext, Tx } from "./context";
import type { FunctionConfig, RegisteredFunction } from "./types";

export type CronTimerOptions = { intervalMs: number; onStarted: () => void };

type Outcome = "started" | "duplicate" | "idempotent" | "stale";

export const createCronTimer = (ctx: ExecutorContext, { intervalMs, onStarted }: CronTimerOptions) => {
  // `${functionId}\n${expression}` → the last tick handled here: a due tick is tried once per executor, not once per check.
  const handled = new Map<string, number>();
  const parsed = new Map<string, CronSchedule | { error: string }>();
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<number> = Promise.resolve(0);

  const schedule = (expression: string) => {
    let s = parsed.get(expression);
    if (!s) parsed.set(expression, (s = parseCron(expression)));
    return "error" in s ? null : s;
  };

  /** One check; checks never overlap (each waits for the one before). Resolves to the number of runs started. */
  const check = () => {
    chain = chain.then(async () => {
      const started = await checkDue(ctx, handled, schedule).catch((err: unknown) => {
        ctx.log.error("cron check failed", { err: (err as Error).message });
        return 0;
      });
      if (started) onStarted();
      return started;
    });
    return chain;
  };

  const loop = () => {
    if (!running) return;
    void check().finally(() => {
      if (running) timer = setTimeout(loop, intervalMs);
    });
  };

  return {
    check,
    start: () => {
      running = true;
      loop();
    },
    /** Stops the timer and waits for a check in progress. */
    stop: async () => {
      running = false;
      if (timer) clearTimeout(timer);
      await chain;
    },
  };
};

const checkDue = async (
  ctx: ExecutorContext,
  handled: Map<string, number>,
  schedule: (expression: string) => CronSchedule | null,
) => {
  const now = ctx.now();
  let started = 0;
  // A snapshot: a sync may replace ctx.functions while this check awaits.
  for (const fn of [...ctx.functions.values()]) {
    for (const expression of cronTriggersOf(fn.config)) {
      const key = `${fn.config.id}\n${expression}`;
      try {
        const s = schedule(expression);
        const tick = s && dueTick(s, now);
        if (tick === null || handled.get(key) === tick) continue;
        if ((await fireTick(ctx, fn, expression, tick)) === "started") started++;
        handled.set(key, tick);
      } catch (err) {
        // Not marked handled: the next check tries again while the tick is still due.
        ctx.log.error("cron tick failed", { functionId: fn.config.id, cron: expression, err: (err as Error).message });
      }
    }
  }
  return started;
};

/** Starts the run of one tick, unless another executor (or an earlier life of this one) already did. */
const fireTick = async (ctx: ExecutorContext, fn: RegisteredFunction, expression: string, tick: number): Promise<Outcome> => {
  const event = cronEvent(fn.config.id, expression, tick);
  const outcome = await ctx.transaction(async (tx): Promise<Outcome> => {
    const current = await syncedFunction(tx, fn.appId, fn.config.id);
    if (!current || !cronTriggersOf(current.config).includes(expression)) return "stale";
    const { count } = await tx.inngestEvent.createMany({
      data: [{ id: event.id, name: event.name, payload: json(event), ts: new Date(event.ts) }],
      skipDuplicates: true,
    });
    if (!count) return "duplicate";
    return (await createRun(ctx, tx, current, event)) ? "started" : "idempotent";
  });
  if (outcome !== "duplicate") {
    ctx.log.info("cron tick", { functionId: fn.config.id, cron: expression, tick: new Date(tick).toISOString(), outcome });
  }
  return outcome;
};

/** The function as last synced (by any executor sharing the database), or null when it is gone. */
const syncedFunction = async (tx: Tx, appId: string, functionId: string) => {
  const app = await tx.inngestApp.findUnique({ where: { id: appId } });
  const config = (app?.functions as unknown as FunctionConfig[] | undefined)?.find((f) => f.id === functionId);
  return app && config ? registeredFunction(app.id, app.url, config) : null;
};
