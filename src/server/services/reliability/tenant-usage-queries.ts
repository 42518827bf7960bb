import "server-only";
import { db } from "~/server/db/client";
import { Prisma } from "~/server/db/generated/client";
import { num, UTC_DAY } from "./days";

// The per-day aggregates of one workspace's usage page. Every query is
// filtered by the tenant first and grouped in Postgres over the
// (tenantId, createdAt) indexes; results are at most days × a bounded number
// of keys.

type Range = { start: Date; end: Date };

/** Series beyond this many (personas, models, failure reasons) are summed as OTHER_KEY, so a chart stays readable and results bounded. */
const MAX_SERIES = 6;
export const OTHER_KEY = "__other__";

/** Chat answers per day: turns that ended, failed ones, and time to first token p50/p95. */
export const chatPerDay = (tenantId: string, r: Range) =>
  db.$queryRaw<{ day: string; turns: unknown; failed: unknown; p50: unknown; p95: unknown }[]>`
    SELECT ${Prisma.raw(UTC_DAY(`"createdAt"`))} AS day,
           count(*) FILTER (WHERE status IN ('complete', 'stopped', 'failed')) AS turns,
           count(*) FILTER (WHERE status = 'failed') AS failed,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY "timeToFirstTokenMs") FILTER (WHERE "timeToFirstTokenMs" IS NOT NULL) AS p50,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY "timeToFirstTokenMs") FILTER (WHERE "timeToFirstTokenMs" IS NOT NULL) AS p95
      FROM "Message"
     WHERE "tenantId" = ${tenantId} AND role = 'assistant' AND "createdAt" >= ${r.start} AND "createdAt" < ${r.end}
     GROUP BY 1
     ORDER BY 1`;

/**
 * Rows (day, key, value) where key is the top MAX_SERIES keys by their total
 * over the range and OTHER_KEY for the rest. `inner` must select day, key and
 * value; it is our own SQL, never input.
 */
const topKeys = (inner: Prisma.Sql) =>
  db.$queryRaw<{ day: string; key: string; value: unknown; calls: unknown }[]>`
    WITH per AS (${inner}),
         ranked AS (SELECT key, row_number() OVER (ORDER BY sum(value) DESC, key) AS rn FROM per GROUP BY key)
    SELECT per.day,
           CASE WHEN ranked.rn <= ${MAX_SERIES} THEN per.key ELSE ${OTHER_KEY} END AS key,
           sum(per.value) AS value,
           sum(per.calls) AS calls
      FROM per JOIN ranked USING (key)
     GROUP BY 1, 2
     ORDER BY 1, 2`;

/** Failed chat turns per day by reason (the gateway's or persona's stable reason; "unknown" when none was kept). */
export const chatFailuresPerDay = (tenantId: string, r: Range) =>
  topKeys(Prisma.sql`
    SELECT ${Prisma.raw(UTC_DAY(`"createdAt"`))} AS day, coalesce("errorReason", 'unknown') AS key, count(*) AS value, count(*) AS calls
      FROM "Message"
     WHERE "tenantId" = ${tenantId} AND role = 'assistant' AND status = 'failed' AND "createdAt" >= ${r.start} AND "createdAt" < ${r.end}
     GROUP BY 1, 2`);

/** Tokens (input + output) and calls per day by persona ("" for calls made for no persona) or by model. */
export const tokensPerDay = (tenantId: string, r: Range, by: "persona" | "model") =>
  topKeys(Prisma.sql`
    SELECT ${Prisma.raw(UTC_DAY(`"createdAt"`))} AS day,
           ${by === "persona" ? Prisma.sql`coalesce("personaKey", '')` : Prisma.sql`"model"`} AS key,
           sum(coalesce("inputTokens", 0) + coalesce("outputTokens", 0)) AS value,
           count(*) AS calls
      FROM "LlmCall"
     WHERE "tenantId" = ${tenantId} AND "createdAt" >= ${r.start} AND "createdAt" < ${r.end}
     GROUP BY 1, 2`);

/** This workspace's background runs per day: runs, failures and queue wait p95 (created → started). */
export const jobsPerDay = (tenantId: string, r: Range) =>
  db.$queryRaw<{ day: string; runs: unknown; failed: unknown; p95: unknown }[]>`
    SELECT ${Prisma.raw(UTC_DAY(`"createdAt"`))} AS day,
           count(*) AS runs,
           count(*) FILTER (WHERE status = 'FAILED') AS failed,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM ("startedAt" - "createdAt")) * 1000) FILTER (WHERE "startedAt" IS NOT NULL) AS p95
      FROM "InngestRun"
     WHERE "tenantId" = ${tenantId} AND "createdAt" >= ${r.start} AND "createdAt" < ${r.end}
     GROUP BY 1
     ORDER BY 1`;

/** The same per function over the whole range (meetings, tasks, ingestion…), at most 50 functions. */
export const jobsPerFunction = (tenantId: string, r: Range) =>
  db.$queryRaw<{ functionId: string; runs: unknown; failed: unknown; p95: unknown }[]>`
    SELECT "functionId",
           count(*) AS runs,
           count(*) FILTER (WHERE status = 'FAILED') AS failed,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM ("startedAt" - "createdAt")) * 1000) FILTER (WHERE "startedAt" IS NOT NULL) AS p95
      FROM "InngestRun"
     WHERE "tenantId" = ${tenantId} AND "createdAt" >= ${r.start} AND "createdAt" < ${r.end}
     GROUP BY 1
     ORDER BY runs DESC, 1
     LIMIT 50`;

export const rounded = (v: unknown) => {
  const n = num(v);
  return n === null ? null : Math.round(n);
};
