import "server-only";
import { db } from "~/server/db/client";
import { num } from "./days";

// Good and total counts of the SLOs the database can answer, over [start, end),
// for every tenant or one. Each is one aggregate scan in Postgres over the
// createdAt indexes (Message, InngestRun), never rows shipped to Node.

export type TCounts = { good: number; total: number };
type Scope = { tenantId: string | null };

/**
 * chat-ttft: assistant answers whose first token was measured, good when within
 * the threshold. chat-success: assistant turns that ended (complete, stopped or
 * failed — a `streaming` one has not ended yet), good unless failed: a user
 * pressing Stop is not a failure, as in the Prometheus SLI.
 */
export const chatSloCounts = async (scope: Scope, range: { start: Date; end: Date }, ttftThresholdMs: number) => {
  const [r] = await db.$queryRaw<{ ttftTotal: unknown; ttftGood: unknown; turnsTotal: unknown; turnsGood: unknown }[]>`
    SELECT count(*) FILTER (WHERE "timeToFirstTokenMs" IS NOT NULL) AS "ttftTotal",
           count(*) FILTER (WHERE "timeToFirstTokenMs" <= ${ttftThresholdMs}) AS "ttftGood",
           count(*) FILTER (WHERE status IN ('complete', 'stopped', 'failed')) AS "turnsTotal",
           count(*) FILTER (WHERE status IN ('complete', 'stopped')) AS "turnsGood"
      FROM "Message"
     WHERE role = 'assistant'
       AND "createdAt" >= ${range.start} AND "createdAt" < ${range.end}
       AND (${scope.tenantId}::text IS NULL OR "tenantId" = ${scope.tenantId}::text)`;
  return {
    ttft: { good: num(r?.ttftGood) ?? 0, total: num(r?.ttftTotal) ?? 0 },
    success: { good: num(r?.turnsGood) ?? 0, total: num(r?.turnsTotal) ?? 0 },
  };
};

/**
 * job-success: runs created in the window that finished, good when COMPLETED
 * (a cancelled run is the user's choice, neither good nor bad — the job
 * metric counts only completed and failed). queue-wait: runs that started,
 * good when they started within the threshold of being created; a run still
 * waiting past the threshold has already missed it and counts as bad now
 * (waiting less is undecided and not counted).
 */
export const jobSloCounts = async (scope: Scope, range: { start: Date; end: Date }, waitThresholdMs: number) => {
  // Computed here, not in SQL: instants are compared as the driver sends them, never re-interpreted in the session's time zone.
  const overdueBefore = new Date(range.end.getTime() - waitThresholdMs);
  const [r] = await db.$queryRaw<{ finished: unknown; completed: unknown; waitTotal: unknown; waitGood: unknown }[]>`
    SELECT count(*) FILTER (WHERE status IN ('COMPLETED', 'FAILED')) AS finished,
           count(*) FILTER (WHERE status = 'COMPLETED') AS completed,
           count(*) FILTER (WHERE "startedAt" IS NOT NULL
                               OR (status = 'QUEUED' AND "createdAt" < ${overdueBefore})) AS "waitTotal",
           count(*) FILTER (WHERE "startedAt" IS NOT NULL
                              AND extract(epoch FROM ("startedAt" - "createdAt")) * 1000 <= ${waitThresholdMs}) AS "waitGood"
      FROM "InngestRun"
     WHERE "createdAt" >= ${range.start} AND "createdAt" < ${range.end}
       AND (${scope.tenantId}::text IS NULL OR "tenantId" = ${scope.tenantId}::text)`;
  return {
    success: { good: num(r?.completed) ?? 0, total: num(r?.finished) ?? 0 },
    queueWait: { good: num(r?.waitGood) ?? 0, total: num(r?.waitTotal) ?? 0 },
  };
};
