import { retentionPurgeRequested } from "~/server/events/catalog";
import { inngest } from "~/server/events/client";
import { emptyCounts, PURGE_UNITS, purgeAuditEvents, purgeRetentionBatch, recordRetentionPurge, tenantsWithRetention } from "~/server/services/privacy/retention";
import { toStepError } from "./tenant-guard";

/** A step's work with its failure mapped like every tenant job's (tenant-guard.ts). Suspended workspaces are purged too: retention is a promise to the customer, not a service. */
const guarded = <T>(work: () => Promise<T>) => async (): Promise<T> => {
  try {
    return await work();
  } catch (err) {
    throw toStepError(err);
  }
};

/**
 * Daily at 02:00 UTC: one purge request per workspace with a retention window (the per-workspace
 * function does the work). Runs on Inngest's scheduler in production and on the local executor's
 * cron support in the embedded default.
 */
export const scheduledRetentionPurge = inngest.createFunction(
  { id: "privacy-scheduled-retention-purge", name: "Scheduled retention purge", triggers: [{ cron: "TZ=UTC 0 2 * * *" }], retries: 2, concurrency: [{ limit: 1 }] },
  async ({ step }) => {
    const tenantIds = await step.run("list-workspaces", () => tenantsWithRetention());
    if (tenantIds.length > 0) await step.sendEvent("request-purges", tenantIds.map((tenantId) => retentionPurgeRequested.create({ tenantId })));
    return { workspaces: tenantIds.length };
  },
);

/**
 * One workspace's retention purge (services/privacy/retention.ts): every batch of RETENTION_BATCH
 * rows is its own step, so a killed worker resumes after the last committed batch, and the
 * cutoffs come from `now` fixed by the first step (memoized), so a resumed run agrees with itself.
 * Step outputs are counts only. Then the counts (never content) go on the audit chain, with the
 * anchor of the audit prefix the last step deletes. One purge per workspace at a time; a second
 * run finds nothing older and records nothing.
 */
export const retentionPurge = inngest.createFunction(
  {
    id: "privacy-retention-purge",
    name: "Purge a workspace's data past retention",
    triggers: [retentionPurgeRequested],
    retries: 4,
    concurrency: [{ key: "event.data.tenantId", limit: 1 }, { limit: 2 }],
  },
  async ({ event, step }) => {
    const { tenantId } = event.data;
    const startedAt = await step.run("start", () => new Date().toISOString());
    const now = new Date(startedAt);
    const counts = emptyCounts();
    for (const unit of PURGE_UNITS) {
      for (let batch = 1; ; batch++) {
        const r = await step.run(`purge-${unit}-${batch}`, guarded(() => purgeRetentionBatch({ tenantId, unit, now })));
        counts[unit] += r.deleted;
        if (r.done) break;
      }
    }
    const recorded = await step.run("record", guarded(() => recordRetentionPurge({ tenantId, now, counts })));
    if (recorded.auditThroughSeq > 0) await step.run("purge-audit-prefix", guarded(() => purgeAuditEvents({ tenantId, throughSeq: recorded.auditThroughSeq })));
    return { counts: recorded.counts };
  },
);
