/**
 * The local Inngest executor: a small durable engine that drives Inngest
 * functions through the SDK's public HTTP contract (inngest/inngest
 * docs/SDK_SPEC.md) against an app's serve endpoint, with all state in
 * Postgres (the Inngest* models in prisma/schema.prisma). See README.md here
 * and docs/adr/0007-local-inngest-executor.md for what it implements.
 *
 * This file only composes the parts (README.md lists them) into the public
 * API used by main.ts, http.ts, tests and perf/. Plain Node: no Next imports,
 * no server-only; it takes a Prisma client.
 */
import { createExecutorContext, type ExecutorOptions } from "./context";
import { createCronTimer } from "./cron";
import { send } from "./intake";
import { cancelRun, waitForRun } from "./runs";
import { createScheduler } from "./scheduler";
import { loadApps, registerApp, sync } from "./sync";
import type { EventPayload, FunctionConfig } from "./types";

export { inngestBackoff, type ExecutorLogger, type ExecutorOptions } from "./context";
export { newId } from "./values";

export type LocalExecutor = ReturnType<typeof createLocalExecutor>;

export const createLocalExecutor = (options: ExecutorOptions) => {
  const ctx = createExecutorContext(options);
  const scheduler = createScheduler(ctx, { pollIntervalMs: options.pollIntervalMs ?? 100, maxInFlight: options.maxInFlight ?? 16 });
  // A run a tick started is leased at once, not at the next poll.
  const cron = createCronTimer(ctx, { intervalMs: options.cronIntervalMs ?? 1000, onStarted: scheduler.kick });

  return {
    owner: ctx.owner,
    start: async () => {
      await loadApps(ctx);
      for (const url of options.appUrls ?? []) await sync(ctx, url);
      scheduler.start();
      cron.start();
    },
    stop: async () => {
      await cron.stop();
      await scheduler.stop();
    },
    sync: (url: string) => sync(ctx, url),
    registerApp: (appId: string, url: string, fns: FunctionConfig[]) => registerApp(ctx, appId, url, fns),
    /** Accepts events (the HTTP intake and step.sendEvent land here). Returns the event ids. */
    send: async (payloads: EventPayload | EventPayload[]) => {
      const ids = await send(ctx, payloads);
      scheduler.kick();
      return ids;
    },
    tick: scheduler.tick,
    /** Checks cron triggers now (the timer also does, every `cronIntervalMs`); resolves to the number of runs started. */
    cronTick: cron.check,
    cancelRun: (runId: string) => cancelRun(ctx, runId),
    waitForRun: (runId: string, statuses?: string[], timeoutMs?: number) => waitForRun(ctx, runId, statuses, timeoutMs),
    functions: () => [...ctx.functions.values()].map((f) => f.config),
  };
};
