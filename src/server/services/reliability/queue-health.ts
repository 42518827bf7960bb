import "server-only";
import { db } from "~/server/db/client";
import { num } from "./days";

// Queue health per background function, from the local executor's tables
// (inngest/local, ADR 0007): what waits now, how long the last day's runs
// waited and how many failed, and the dead letters nobody has handled yet.
// With Inngest Cloud these tables stay empty and Inngest's dashboard is the
// source (the page says so).

/** Bounds every grouped result: there are a handful of functions, this only guards a runaway. */
const MAX_FUNCTIONS = 100;
const RUN_WINDOW_MS = 24 * 3_600_000;

export type TFunctionQueueHealth = {
  functionId: string;
  /** Queue items due and not leased: work waiting for an executor slot now. */
  queued: number;
  /** Seconds the longest-waiting of those has been due; null when none waits. */
  oldestWaitSeconds: number | null;
  /** Items leased by an executor right now. */
  inFlight: number;
  /** Items scheduled for later (retry backoff, sleeps, throttle). */
  delayed: number;
  runs24h: number;
  failed24h: number;
  waitP50Ms24h: number | null;
  waitP95Ms24h: number | null;
  openDeadLetters: number;
  newestDeadLetterAt: Date | null;
};

const queueNow = (now: Date) => db.$queryRaw<{ functionId: string; queued: unknown; inFlight: unknown; delayed: unknown; oldestDue: Date | null }[]>`
  SELECT r."functionId",
         count(*) FILTER (WHERE (q."leaseUntil" IS NULL OR q."leaseUntil" < ${now}) AND q."availableAt" <= ${now}) AS queued,
         count(*) FILTER (WHERE q."leaseUntil" >= ${now}) AS "inFlight",
         count(*) FILTER (WHERE (q."leaseUntil" IS NULL OR q."leaseUntil" < ${now}) AND q."availableAt" > ${now}) AS delayed,
         min(q."availableAt") FILTER (WHERE (q."leaseUntil" IS NULL OR q."leaseUntil" < ${now}) AND q."availableAt" <= ${now}) AS "oldestDue"
    FROM "InngestQueueItem" q
    JOIN "InngestRun" r ON r.id = q."runId"
   GROUP BY r."functionId"
   ORDER BY r."functionId"
   LIMIT ${MAX_FUNCTIONS}`;

const runsLastDay = (now: Date) => db.$queryRaw<{ functionId: string; runs: unknown; failed: unknown; p50: unknown; p95: unknown }[]>`
  SELECT "functionId",
         count(*) AS runs,
         count(*) FILTER (WHERE status = 'FAILED') AS failed,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM ("startedAt" - "createdAt")) * 1000) FILTER (WHERE "startedAt" IS NOT NULL) AS p50,
         percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM ("startedAt" - "createdAt")) * 1000) FILTER (WHERE "startedAt" IS NOT NULL) AS p95
    FROM "InngestRun"
   WHERE "createdAt" >= ${new Date(now.getTime() - RUN_WINDOW_MS)} AND "createdAt" < ${now}
   GROUP BY "functionId"
   ORDER BY "functionId"
   LIMIT ${MAX_FUNCTIONS}`;

const openDeadLetters = () =>
  db.inngestDeadLetter.groupBy({
    by: ["functionId"],
    where: { replayedAt: null, discardedAt: null },
    _count: { _all: true },
    _max: { createdAt: true },
    orderBy: { functionId: "asc" },
    take: MAX_FUNCTIONS,
  });

/** One row per function that has queue items, runs in the last 24 h or open dead letters, by function id. */
export const getQueueHealth = async (opts: { now?: Date } = {}) => {
  const now = opts.now ?? new Date();
  const [queue, runs, dead] = await Promise.all([queueNow(now), runsLastDay(now), openDeadLetters()]);
  const rows = new Map<string, TFunctionQueueHealth>();
  const row = (functionId: string) => {
    let r = rows.get(functionId);
    if (!r) {
      r = { functionId, queued: 0, oldestWaitSeconds: null, inFlight: 0, delayed: 0, runs24h: 0, failed24h: 0, waitP50Ms24h: null, waitP95Ms24h: null, openDeadLetters: 0, newestDeadLetterAt: null };
      rows.set(functionId, r);
    }
    return r;
  };
  for (const q of queue) {
    Object.assign(row(q.functionId), {
      queued: num(q.queued) ?? 0,
      inFlight: num(q.inFlight) ?? 0,
      delayed: num(q.delayed) ?? 0,
      oldestWaitSeconds: q.oldestDue ? Math.max(0, Math.round((now.getTime() - q.oldestDue.getTime()) / 1000)) : null,
    });
  }
  for (const r of runs) {
    const p50 = num(r.p50);
    const p95 = num(r.p95);
    Object.assign(row(r.functionId), { runs24h: num(r.runs) ?? 0, failed24h: num(r.failed) ?? 0, waitP50Ms24h: p50 === null ? null : Math.round(p50), waitP95Ms24h: p95 === null ? null : Math.round(p95) });
  }
  for (const d of dead) Object.assign(row(d.functionId), { openDeadLetters: d._count._all, newestDeadLetterAt: d._max.createdAt });
  const functions = [...rows.values()].sort((a, b) => a.functionId.localeCompare(b.functionId));
  return {
    at: now,
    functions,
    totals: {
      queued: functions.reduce((s, f) => s + f.queued, 0),
      openDeadLetters: functions.reduce((s, f) => s + f.openDeadLetters, 0),
      failed24h: functions.reduce((s, f) => s + f.failed24h, 0),
    },
  };
};
