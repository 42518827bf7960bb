import "server-only";
import { RETENTION_CLASSES, RETENTION_COLUMN, RETENTION_MIN_DAYS, type RetentionClass, type RetentionPolicy } from "~/lib/retention";
import { db } from "~/server/db/client";
import { logger } from "~/server/infra/logger";
import { storageForDocument, type ObjectStorage } from "~/server/infra/storage";
import { deleteAuditPrefix, planAuditPrefixPurge, recordPurgeWithAnchor } from "../audit/audit-prefix";

/*
 * Retention enforcement (issue 16; docs/policies/data-retention.md): for each data class with a
 * window, rows older than the window are deleted with their dependants, in batches of
 * RETENTION_BATCH root rows. The scheduled job (inngest/jobs/retention-purge.ts) runs every batch
 * as its own step, so a crash resumes after the last committed batch; every batch re-selects what
 * is still older than the cutoff, so a re-run (or a second run) deletes only what is left: none.
 *
 * What goes with what (ON DELETE CASCADE in the schema unless said otherwise):
 * - conversations: messages older than the window (their citations are a column of the message),
 *   then conversations whose last message is older than the window (with any message left);
 * - meetings: turns, outcomes (decisions and positions), action items; a task created from an
 *   action item stays (it is a task, with its own window);
 * - tasks: steps (each revision's output) and the deliverable (a column); an action item that
 *   pointed at the task forgets it (plain column, cleared here);
 * - documents: chunks and their embeddings (cascade), and the stored original (object storage);
 * - llmCalls: the LlmCall rows;
 * - audit: the chain's prefix older than the window, never younger than RETENTION_MIN_DAYS.audit
 *   (services/audit/audit-prefix.ts: anchored so the chain still verifies).
 * Cutoffs are computed from one `now` per run (the job's first step), so every batch of a run
 * agrees on what is old, and tests move the clock by passing `now`.
 */

export const RETENTION_BATCH = 500;
const DAY_MS = 86_400_000;

/** The units a purge works through, in order: each deletes root rows of one table for one class. */
export const PURGE_UNITS = ["messages", "conversations", "meetings", "tasks", "documents", "llmCalls"] as const;
export type PurgeUnit = (typeof PURGE_UNITS)[number];
const CLASS_OF_UNIT: Record<PurgeUnit, Exclude<RetentionClass, "audit">> = {
  messages: "conversations",
  conversations: "conversations",
  meetings: "meetings",
  tasks: "tasks",
  documents: "documents",
  llmCalls: "llmCalls",
};

/** Rows purged per unit, and audit events: the counts recorded on the audit chain (never content). */
export type PurgeCounts = Record<PurgeUnit | "auditEvents", number>;
export const emptyCounts = (): PurgeCounts => ({ messages: 0, conversations: 0, meetings: 0, tasks: 0, documents: 0, llmCalls: 0, auditEvents: 0 });

/**
 * A workspace's windows as enforced: a stored window below the class's legal minimum (set before
 * the minimum existed, or written around the settings form) counts as the minimum. The purge
 * enforces RETENTION_MIN_DAYS itself rather than trusting the settings service.
 */
export const effectivePolicy = (tenant: Record<(typeof RETENTION_COLUMN)[RetentionClass], number | null>): RetentionPolicy => {
  const policy = {} as RetentionPolicy;
  for (const cls of RETENTION_CLASSES) {
    const days = tenant[RETENTION_COLUMN[cls]];
    policy[cls] = days === null ? null : Math.max(days, RETENTION_MIN_DAYS[cls]);
  }
  return policy;
};

const RETENTION_SELECT = Object.fromEntries(RETENTION_CLASSES.map((c) => [RETENTION_COLUMN[c], true])) as Record<(typeof RETENTION_COLUMN)[RetentionClass], true>;

/** The tenant's enforced policy, or null for a workspace with nothing to purge (gone, deleted, or keeping everything). */
export const loadRetentionPolicy = async (tenantId: string): Promise<RetentionPolicy | null> => {
  const tenant = await db.tenant.findUnique({ where: { id: tenantId }, select: { status: true, ...RETENTION_SELECT } });
  if (!tenant || tenant.status === "DELETED") return null;
  const policy = effectivePolicy(tenant);
  return RETENTION_CLASSES.some((c) => policy[c] !== null) ? policy : null;
};

/** Tenants with at least one window set (not deleted): the cron fans out one purge per tenant. */
export const tenantsWithRetention = async (): Promise<string[]> => {
  const rows = await db.tenant.findMany({
    where: { status: { not: "DELETED" }, OR: RETENTION_CLASSES.map((c) => ({ [RETENTION_COLUMN[c]]: { not: null } })) },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  return rows.map((r) => r.id);
};

export const cutoffOf = (days: number, now: Date): Date => new Date(now.getTime() - days * DAY_MS);

export type PurgeDeps = { storage?: ObjectStorage };

/** The storage that holds a document's original: its residency region's (Document.storageRegion), unless a test passes one. */
const storageOf = (doc: { storageRegion: string | null }, deps: PurgeDeps): ObjectStorage => deps.storage ?? storageForDocument(doc);

/**
 * Deletes one batch of documents: their stored originals FIRST, then the rows (chunks and
 * embeddings by cascade). The reverse of deleteDocument's order on purpose: a user deleting a file
 * must not see it half-deleted, but a purge must never leave an object nobody references. A crash
 * between the two leaves rows whose objects are gone; the next batch selects them again and
 * deleting a missing object succeeds (drivers are idempotent), so the purge completes.
 */
const purgeDocuments = async (tenantId: string, cutoff: Date, deps: PurgeDeps): Promise<number> => {
  const docs = await db.document.findMany({ where: { tenantId, createdAt: { lt: cutoff } }, select: { id: true, storageKey: true, storageRegion: true }, orderBy: { createdAt: "asc" }, take: RETENTION_BATCH });
  for (const d of docs) await storageOf(d, deps).delete(d.storageKey);
  const { count } = await db.document.deleteMany({ where: { tenantId, id: { in: docs.map((d) => d.id) } } });
  return count;
};

const idsOf = (rows: { id: string }[]) => rows.map((r) => r.id);

/** One batch of one unit: deletes up to RETENTION_BATCH root rows older than the cutoff; returns how many. */
const purgeUnitBatch = async (tenantId: string, unit: PurgeUnit, cutoff: Date, deps: PurgeDeps): Promise<number> => {
  const older = { tenantId, createdAt: { lt: cutoff } };
  const page = { select: { id: true }, orderBy: { createdAt: "asc" as const }, take: RETENTION_BATCH };
  switch (unit) {
    case "messages": {
      const ids = idsOf(await db.message.findMany({ where: older, ...page }));
      return (await db.message.deleteMany({ where: { tenantId, id: { in: ids } } })).count;
    }
    case "conversations": {
      const ids = idsOf(await db.conversation.findMany({ where: { tenantId, lastMessageAt: { lt: cutoff } }, select: { id: true }, orderBy: { lastMessageAt: "asc" }, take: RETENTION_BATCH }));
      return (await db.conversation.deleteMany({ where: { tenantId, id: { in: ids } } })).count;
    }
    case "meetings": {
      const ids = idsOf(await db.meeting.findMany({ where: older, ...page }));
      return (await db.meeting.deleteMany({ where: { tenantId, id: { in: ids } } })).count;
    }
    case "tasks": {
      const ids = idsOf(await db.task.findMany({ where: older, ...page }));
      // ActionItem.taskId is a plain column (no foreign key): cleared so no action item points at a purged task.
      const [, deleted] = await db.$transaction([
        db.actionItem.updateMany({ where: { tenantId, taskId: { in: ids } }, data: { taskId: null } }),
        db.task.deleteMany({ where: { tenantId, id: { in: ids } } }),
      ]);
      return deleted.count;
    }
    case "documents":
      return purgeDocuments(tenantId, cutoff, deps);
    case "llmCalls": {
      const ids = idsOf(await db.llmCall.findMany({ where: older, ...page }));
      return (await db.llmCall.deleteMany({ where: { tenantId, id: { in: ids } } })).count;
    }
  }
};

/**
 * One step of the purge: one batch of `unit` for the tenant at `now`. `done` when the batch was
 * not full (nothing older is left) or the class keeps everything.
 */
export const purgeRetentionBatch = async (input: { tenantId: string; unit: PurgeUnit; now: Date }, deps: PurgeDeps = {}): Promise<{ deleted: number; done: boolean }> => {
  const policy = await loadRetentionPolicy(input.tenantId);
  const days = policy?.[CLASS_OF_UNIT[input.unit]] ?? null;
  if (days === null) return { deleted: 0, done: true };
  const deleted = await purgeUnitBatch(input.tenantId, input.unit, cutoffOf(days, input.now), deps);
  return { deleted, done: deleted < RETENTION_BATCH };
};

/**
 * The purge's last steps: records on the tenant's audit chain what was purged (counts only),
 * with the anchor of the audit prefix about to go, then deletes that prefix. Records nothing
 * when nothing was purged (a second run is a no-op), and stamps retentionPurgedAt either way.
 */
export const recordRetentionPurge = async (input: { tenantId: string; now: Date; counts: PurgeCounts }): Promise<{ auditThroughSeq: number; counts: PurgeCounts }> => {
  const policy = await loadRetentionPolicy(input.tenantId);
  const counts = { ...input.counts };
  const plan = policy?.audit ? await planAuditPrefixPurge(input.tenantId, cutoffOf(policy.audit, input.now)) : { throughSeq: 0, count: 0, anchor: null };
  counts.auditEvents = plan.count;
  if (Object.values(counts).some((n) => n > 0)) {
    await recordPurgeWithAnchor({ tenantId: input.tenantId, plan, metadata: { counts, policy: policy ?? {}, at: input.now.toISOString() } });
  }
  await db.tenant.updateMany({ where: { id: input.tenantId }, data: { retentionPurgedAt: new Date() } });
  if (plan.count > 0) logger.info({ tenantId: input.tenantId, counts }, "retention purge recorded");
  return { auditThroughSeq: plan.count > 0 ? plan.throughSeq : 0, counts };
};

/** Deletes the audit prefix recorded by recordRetentionPurge (after its anchor is on the chain). */
export const purgeAuditEvents = async (input: { tenantId: string; throughSeq: number }): Promise<number> => deleteAuditPrefix(input.tenantId, input.throughSeq);

/**
 * The whole purge of one workspace in this process, the same steps the job runs one by one:
 * for scripts and tests of the rules (the job's own test drives it through Inngest).
 */
export const runRetentionPurge = async (input: { tenantId: string; now: Date }, deps: PurgeDeps = {}): Promise<PurgeCounts> => {
  const counts = emptyCounts();
  for (const unit of PURGE_UNITS) {
    for (;;) {
      const r = await purgeRetentionBatch({ ...input, unit }, deps);
      counts[unit] += r.deleted;
      if (r.done) break;
    }
  }
  const recorded = await recordRetentionPurge({ ...input, counts });
  await purgeAuditEvents({ tenantId: input.tenantId, throughSeq: recorded.auditThroughSeq });
  return recorded.counts;
};
