import "server-only";
import { readJobQueue } from "~/server/infra/job-queue-depth";
import { logger } from "~/server/infra/logger";

/*
 * The platform admins' banner (admin.ops.queueBacklog): the job queues'
 * depth and oldest due age per function — the same reading, from the same
 * query, as the ocsuite.job.queue_depth / queue_oldest_age gauges — and
 * whether any function is over the thresholds the alerts use
 * (scripts/ops/symptom-rules.ts: JobQueueDepthHigh > 100, JobQueueOldestAgeHigh
 * > 300 s; a test keeps them in step). The banner reads "now": the alerts add
 * their `for` so a burst does not page, the banner shows it while it lasts.
 *
 * With Inngest Cloud the local queue table is empty: never backlogged here
 * (`source: "local"` still, with no functions). When the table cannot be read
 * the answer says so (`available: false`) rather than claiming all is well.
 */

export const BACKLOG_THRESHOLDS = { depth: 100, oldestAgeSeconds: 300 } as const;
/** Where the banner links: the runbooks for the two alerts, and the live queues page. */
export const BACKLOG_RUNBOOK = "docs/runbooks/alerts/JobQueueOldestAgeHigh.md";

export type TQueueBacklog = {
  at: Date;
  available: boolean;
  backlogged: boolean;
  thresholds: { depth: number; oldestAgeSeconds: number };
  functions: { functionId: string; depth: number; oldestAgeSeconds: number; backlogged: boolean }[];
  runbook: string;
};

export const getQueueBacklog = async (opts: { read?: typeof readJobQueue } = {}): Promise<TQueueBacklog> => {
  const at = new Date();
  const base = { at, thresholds: { ...BACKLOG_THRESHOLDS }, runbook: BACKLOG_RUNBOOK };
  let readings: Awaited<ReturnType<typeof readJobQueue>>;
  try {
    readings = await (opts.read ?? readJobQueue)();
  } catch (err) {
    logger.warn({ err: (err as Error).message }, "queue backlog unavailable: the queue table cannot be read");
    return { ...base, available: false, backlogged: false, functions: [] };
  }
  const functions = [...readings]
    .map(([functionId, r]) => ({
      functionId,
      depth: r.depth,
      oldestAgeSeconds: Math.round(r.oldestAgeSeconds),
      backlogged: r.depth > BACKLOG_THRESHOLDS.depth || r.oldestAgeSeconds > BACKLOG_THRESHOLDS.oldestAgeSeconds,
    }))
    .sort((a, b) => Number(b.backlogged) - Number(a.backlogged) || b.oldestAgeSeconds - a.oldestAgeSeconds || a.functionId.localeCompare(b.functionId));
  return { ...base, available: true, backlogged: functions.some((f) => f.backlogged), functions };
};
