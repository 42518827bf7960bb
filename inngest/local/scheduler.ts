/**
 * The polling loop: every `pollIntervalMs`, and immediately when kicked (an
 * event arrived, an item finished), expire due waits and lease as many items
 * as there is room for (`maxInFlight`), processing each in the background.
 * Ticks never overlap: a tick requested while one runs makes it go round
 * again. This is the executor's only mutable in-memory state besides
 * ExecutorContext, kept in one small closure.
 */
import { processItem } from "./process-item";
import { lease } from "./queue";
import { expireWaits } from "./runs";
import type { ExecutorContext } from "./context";

export type SchedulerOptions = { pollIntervalMs: number; maxInFlight: number };

export const createScheduler = (ctx: ExecutorContext, { pollIntervalMs, maxInFlight }: SchedulerOptions) => {
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let ticking = false;
  let again = false;
  let inFlight = 0;
  // Whether the last lease filled every free slot: work is waiting, so a run's next call goes back
  // through the queue (first come, first served) instead of continuing ahead of runs not yet started.
  let backlog = false;
  const inFlightDone = new Set<Promise<void>>();

  const runInBackground = (item: Parameters<typeof processItem>[1]) => {
    inFlight++;
    const p: Promise<void> = processItem(ctx, item, () => running && !backlog)
      .catch((err) => ctx.log.error("processing failed", { err: (err as Error).message, runId: item.runId }))
      .finally(() => {
        inFlight--;
        inFlightDone.delete(p);
        kick();
      });
    inFlightDone.add(p);
  };

  const tick = async () => {
    if (ticking) {
      again = true;
      return;
    }
    ticking = true;
    try {
      do {
        again = false;
        await expireWaits(ctx);
        const capacity = maxInFlight - inFlight;
        const items = await lease(ctx, capacity);
        backlog = capacity > 0 && items.length >= capacity;
        for (const item of items) runInBackground(item);
        if (items.length) again = true;
      } while (again && running);
    } catch (err) {
      ctx.log.error("tick failed", { err: (err as Error).message });
    } finally {
      ticking = false;
    }
  };

  function kick() {
    if (running) setImmediate(() => void tick());
  }

  const loop = () => {
    if (!running) return;
    void tick().finally(() => {
      if (running) timer = setTimeout(loop, pollIntervalMs);
    });
  };

  return {
    tick,
    kick,
    start: () => {
      running = true;
      loop();
    },
    /** Stops polling and waits for the current tick and every in-flight item. */
    stop: async () => {
      running = false;
      if (timer) clearTimeout(timer);
      while (ticking) await new Promise((r) => setTimeout(r, 10));
      await Promise.allSettled([...inFlightDone]);
    },
  };
};
