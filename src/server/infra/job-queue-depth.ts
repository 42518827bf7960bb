import "server-only";
import { db } from "~/server/db/client";
import { logger } from "./logger";
import { metrics } from "./metrics";

/*
 * ocsuite.job.queue_depth and ocsuite.job.queue_oldest_age: work waiting per
 * function, read from the job store at collection time (a scrape or an OTLP
 * push) rather than counted in memory, because the queue is shared by every
 * process and survives restarts.
 *
 * The store is the local executor's queue table (inngest/local, ADR 0007):
 * CALL items not currently leased joined to their run for the function id.
 * SLEEP items are timers, not work.
 *
 * - depth: every unleased CALL item — due now or waiting out a retry backoff
 *   or throttle.
 * - oldest age: seconds since the oldest of those became due (availableAt),
 *   counting only items that are due now (a future-scheduled retry, sleep or
 *   throttled start is not late) and that are not held back solely by a keyed
 *   concurrency limit already full with the same key's own running work (a
 *   tenant's 10 queued tasks behind its limit of 1 are fair share working as
 *   designed; admission control bounds them). Items held by a function-wide
 *   limit or waiting for a free executor do count: that is missing capacity.
 *   0 when the function has waiting items but none qualifies.
 *
 * With Inngest Cloud the table is empty and the gauges report nothing. A
 * function seen before and now drained reports 0, so its series goes to zero
 * instead of vanishing. When the table cannot be read (no database, a
 * timeout) nothing is recorded and one warning is logged until it can be read
 * again. Both gauges share one query per collection.
 */

const QUERY_TIMEOUT_MS = 2_000;
/** Both gauges' callbacks run within one collection; they share a read started less than this ago. */
const SHARED_READ_MS = 1_000;

export type TJobQueueReading = { depth: number; oldestAgeSeconds: number };
type State = { registered: boolean; seen: Set<string>; failing: boolean; read?: { at: number; result: Promise<Map<string, TJobQueueReading>> } };
const g = globalThis as unknown as { __ocsuiteQueueDepth?: State };
const state = (g.__ocsuiteQueueDepth ??= { registered: false, seen: new Set(), failing: false });

/**
 * Depth and oldest due age per function that has unleased CALL items, from
 * one statement. `busy` is every concurrency key whose leased CALL items fill
 * its limit; an item is "held by its own key" when one of its keyed limits
 * (stored as `<fn>:<expr>:<value>`; a function-wide one ends in `::`) is busy.
 */
export const readJobQueue = async (): Promise<Map<string, TJobQueueReading>> => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`queue depth query exceeded ${QUERY_TIMEOUT_MS} ms`)), QUERY_TIMEOUT_MS);
  });
  try {
    const rows = await Promise.race([
      db.$queryRaw<{ fn: string; n: number; age: number | null }[]>`
        WITH busy AS (
          SELECT k->>'key' AS key
            FROM "InngestQueueItem" a
            CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(a."concurrency") = 'array' THEN a."concurrency" ELSE '[]'::jsonb END) k
           WHERE a."kind" = 'CALL' AND a."leaseUntil" >= now()
           GROUP BY k->>'key'
          HAVING count(*) >= min((k->>'limit')::int)
        )
        SELECT r."functionId" AS fn,
               count(*)::int AS n,
               extract(epoch FROM now() - min(q."availableAt") FILTER (
                 WHERE q."availableAt" <= now()
                   AND NOT EXISTS (
                     SELECT 1
                       FROM jsonb_array_elements(CASE WHEN jsonb_typeof(q."concurrency") = 'array' THEN q."concurrency" ELSE '[]'::jsonb END) k
                       JOIN busy b ON b.key = k->>'key'
                      WHERE right(k->>'key', 2) <> '::'
                   )
               ))::float8 AS age
          FROM "InngestQueueItem" q JOIN "InngestRun" r ON r."id" = q."runId"
         WHERE q."kind" = 'CALL' AND (q."leaseUntil" IS NULL OR q."leaseUntil" < now())
         GROUP BY r."functionId"`,
      timeout,
    ]);
    return new Map(rows.map((r) => [r.fn, { depth: Number(r.n), oldestAgeSeconds: r.age === null ? 0 : Math.max(0, Number(r.age)) }]));
  } finally {
    clearTimeout(timer);
  }
};

const sharedRead = (): Promise<Map<string, TJobQueueReading>> => {
  const now = Date.now();
  if (!state.read || now - state.read.at > SHARED_READ_MS) state.read = { at: now, result: readJobQueue() };
  return state.read.result;
};

/** The reading for this collection, or null (logged once) when the table cannot be read. */
const readForCollection = async (): Promise<Map<string, TJobQueueReading> | null> => {
  try {
    const readings = await sharedRead();
    state.failing = false;
    for (const fn of readings.keys()) state.seen.add(fn);
    return readings;
  } catch (err) {
    if (!state.failing) logger.warn({ err: (err as Error).message }, "job queue depth unavailable: the queue table cannot be read");
    state.failing = true;
    return null;
  }
};

/** Registers the gauges' callbacks once per process (the processes that serve jobs call it). */
export const observeJobQueueDepth = (): void => {
  if (state.registered) return;
  state.registered = true;
  metrics.jobQueueDepth.addCallback(async (result) => {
    const readings = await readForCollection();
    if (!readings) return;
    for (const fn of state.seen) result.observe(readings.get(fn)?.depth ?? 0, { "messaging.destination.name": fn });
  });
  metrics.jobQueueOldestAge.addCallback(async (result) => {
    const readings = await readForCollection();
    if (!readings) return;
    for (const fn of state.seen) result.observe(readings.get(fn)?.oldestAgeSeconds ?? 0, { "messaging.destination.name": fn });
  });
};
