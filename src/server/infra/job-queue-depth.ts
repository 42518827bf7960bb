import "server-only";
import { db } from "~/server/db/client";
import { logger } from "./logger";
import { metrics } from "./metrics";

/*
 * ocsuite.job.queue_depth: work waiting per function, read from the job store
 * at collection time (a scrape or an OTLP push) rather than counted in
 * memory, because the queue is shared by every process and survives restarts.
 *
 * The store is the local executor's queue table (inngest/local, ADR 0007):
 * CALL items not currently leased — due now or waiting out a retry backoff or
 * throttle — joined to their run for the function id. SLEEP items are timers,
 * not work. With Inngest Cloud the table is empty and the gauge reports
 * nothing. A function seen before and now drained reports 0, so its series
 * goes to zero instead of vanishing. When the table cannot be read (no
 * database, a timeout) nothing is recorded and one warning is logged until it
 * can be read again.
 */

const QUERY_TIMEOUT_MS = 2_000;
type State = { registered: boolean; seen: Set<string>; failing: boolean };
const g = globalThis as unknown as { __ocsuiteQueueDepth?: State };
const state = (g.__ocsuiteQueueDepth ??= { registered: false, seen: new Set(), failing: false });

const readDepths = async (): Promise<Map<string, number>> => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`queue depth query exceeded ${QUERY_TIMEOUT_MS} ms`)), QUERY_TIMEOUT_MS);
  });
  try {
    const rows = await Promise.race([
      db.$queryRaw<{ fn: string; n: number }[]>`
        SELECT r."functionId" AS fn, count(*)::int AS n
        FROM "InngestQueueItem" q JOIN "InngestRun" r ON r."id" = q."runId"
        WHERE q."kind" = 'CALL' AND (q."leaseUntil" IS NULL OR q."leaseUntil" < now())
        GROUP BY r."functionId"`,
      timeout,
    ]);
    return new Map(rows.map((r) => [r.fn, Number(r.n)]));
  } finally {
    clearTimeout(timer);
  }
};

/** Registers the gauge's callback once per process (the processes that serve jobs call it). */
export const observeJobQueueDepth = (): void => {
  if (state.registered) return;
  state.registered = true;
  metrics.jobQueueDepth.addCallback(async (result) => {
    let depths: Map<string, number>;
    try {
      depths = await readDepths();
    } catch (err) {
      if (!state.failing) logger.warn({ err: (err as Error).message }, "job queue depth unavailable: the queue table cannot be read");
      state.failing = true;
      return;
    }
    state.failing = false;
    for (const fn of depths.keys()) state.seen.add(fn);
    for (const fn of state.seen) result.observe(depths.get(fn) ?? 0, { "messaging.destination.name": fn });
  });
};
