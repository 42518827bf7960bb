import "server-only";
import { db } from "~/server/db/client";
import { logger } from "~/server/infra/logger";
import { storageForDocument, storageForRegion, type ObjectStorage } from "~/server/infra/storage";
import { appendAuditEvent } from "../audit/audit";
import { deleteAuditChain } from "../audit/audit-prefix";
import { shredTenantKeys, type ShredResult } from "../key-rotation/shred-tenant-keys";

/*
 * The purge of a workspace whose deletion grace period is over (issue 16; the job is
 * inngest/jobs/workspace-purge.ts, one step per function below, each idempotent so a killed worker
 * resumes): every stored object (document originals, export archives), every row of every table
 * that carries the workspace's id, then crypto-shredding of all its data keys, leaving a tombstone.
 *
 * The tombstone: the Tenant row stays with status DELETED and deletedAt, so ids in the platform
 * audit chain and in operator logs still resolve to "a workspace that was deleted on <date>". Its
 * slug is FREED (renamed to deleted-<id>) and its name and profile cleared: the name is the
 * customer's data, and the slug should be usable again by the same customer; old links then lead to
 * whatever workspace holds the slug now, which only its members can open (membership checks), so
 * nothing leaks. Its TenantDataKey rows stay too, destroyed (no key material), as the proof of the
 * shredding. What was purged (counts per table, never content) is recorded on the PLATFORM audit
 * chain: the workspace's own chain is deleted with it.
 */

/** Tables whose rows carry the workspace's id, in deletion order (children first where there is no cascade). */
const TABLES = [
  "message",
  "conversation",
  "documentChunk",
  "meetingTurn",
  "meetingOutcome",
  "actionItem",
  "meeting",
  "taskStep",
  "task",
  "llmCall",
  "providerCredential",
  "tenantPersona",
  "tenantTokenUsage",
  "invitation",
  "membership",
  "supportSession",
  "tenantNotice",
  "accessReviewItem",
  "accessReview",
  "keyRotation",
  "tenantContentKey",
  "inngestDeadLetter",
  "jobHeartbeat",
] as const;
export type PurgedTable = (typeof TABLES)[number];
export const WORKSPACE_PURGE_TABLES = TABLES;

type Deleter = { deleteMany: (args: { where: { tenantId: string } }) => Promise<{ count: number }> };
const tableOf = (name: PurgedTable): Deleter => db[name] as unknown as Deleter;

const BATCH = 500;

export type PurgeStart = { proceed: boolean; slug?: string };

/**
 * Starts (or resumes) the purge: only a workspace still PENDING_DELETION past its date. Stamps
 * deletedAt first, which is what cancelling checks: once the purge has begun, an owner can no longer
 * bring back a half-deleted workspace.
 */
export const beginWorkspacePurge = async (workspaceId: string, now = new Date()): Promise<PurgeStart> => {
  const t = await db.tenant.findUnique({ where: { id: workspaceId }, select: { slug: true, status: true, deletionScheduledFor: true, deletedAt: true } });
  if (!t || t.status !== "PENDING_DELETION" || !t.deletionScheduledFor || t.deletionScheduledFor > now) return { proceed: false };
  if (!t.deletedAt) await db.tenant.update({ where: { id: workspaceId }, data: { deletedAt: now } });
  return { proceed: true, slug: t.slug };
};

/** One batch of documents: their originals first, then the rows (chunks and embeddings cascade); `done` when none are left. */
export const purgeWorkspaceDocuments = async (workspaceId: string, deps: { storage?: ObjectStorage } = {}): Promise<{ deleted: number; done: boolean }> => {
  // Each original in its residency region's storage (Document.storageRegion).
  const docs = await db.document.findMany({ where: { tenantId: workspaceId }, select: { id: true, storageKey: true, storageRegion: true }, take: BATCH });
  for (const d of docs) await (deps.storage ?? storageForDocument(d)).delete(d.storageKey);
  const { count } = await db.document.deleteMany({ where: { tenantId: workspaceId, id: { in: docs.map((d) => d.id) } } });
  return { deleted: count, done: docs.length < BATCH };
};

/** Export archives (objects, each in its residency region's storage, then rows). */
export const purgeWorkspaceExports = async (workspaceId: string, deps: { storage?: ObjectStorage } = {}): Promise<number> => {
  const exports = await db.dataExport.findMany({ where: { tenantId: workspaceId }, select: { id: true, storageKey: true, storageRegion: true } });
  for (const e of exports) if (e.storageKey) await (deps.storage ?? storageForRegion(e.storageRegion)).delete(e.storageKey);
  return (await db.dataExport.deleteMany({ where: { tenantId: workspaceId } })).count;
};

/** Every row of one table for the workspace. */
export const purgeWorkspaceTable = async (workspaceId: string, table: PurgedTable): Promise<number> => (await tableOf(table).deleteMany({ where: { tenantId: workspaceId } })).count;

/**
 * The workspace's finished job runs with their memoized step results (which can hold persona
 * answers): the local executor's history. A run still in flight is left to its executor (it finds
 * its rows gone and ends); nothing of the workspace's content is in its event, which carries ids.
 */
export const purgeWorkspaceJobHistory = async (workspaceId: string): Promise<number> => {
  const runs = await db.inngestRun.findMany({ where: { tenantId: workspaceId, finishedAt: { not: null } }, select: { id: true } });
  const ids = runs.map((r) => r.id);
  await db.inngestStep.deleteMany({ where: { runId: { in: ids } } });
  return (await db.inngestRun.deleteMany({ where: { id: { in: ids } } })).count;
};

/** The workspace's whole audit chain (the platform chain records the purge). */
export const purgeWorkspaceAudit = async (workspaceId: string): Promise<number> => deleteAuditChain(workspaceId);

/** Crypto-shredding: every data key of the workspace destroyed, then its key in the key vault. */
export const shredWorkspaceKeys = async (workspaceId: string): Promise<ShredResult> => shredTenantKeys(workspaceId);

/** The tombstone, and the purge's record on the platform chain (counts only). */
export const finishWorkspacePurge = async (workspaceId: string, counts: Record<string, number>): Promise<void> => {
  const t = await db.tenant.findUniqueOrThrow({ where: { id: workspaceId }, select: { status: true, deletionRequestedAt: true, deletionScheduledFor: true } });
  if (t.status === "DELETED") return;
  const tombstone = `deleted-${workspaceId}`;
  await db.tenant.update({
    where: { id: workspaceId },
    data: { status: "DELETED", slug: tombstone, name: tombstone, industry: null, description: null, deletionRequestedById: null, deletedAt: new Date() },
  });
  await appendAuditEvent({
    tenantId: null,
    actorType: "SYSTEM",
    action: "workspace.purged",
    targetType: "tenant",
    targetId: workspaceId,
    metadata: { counts, requestedAt: t.deletionRequestedAt?.toISOString() ?? null, scheduledFor: t.deletionScheduledFor?.toISOString() ?? null },
  });
  logger.info({ tenantId: workspaceId, counts }, "workspace purged and its data keys destroyed");
};

/** The whole purge in this process, the same steps the job runs one by one (tests, operator scripts). */
export const runWorkspacePurge = async (workspaceId: string, deps: { storage?: ObjectStorage; now?: Date } = {}): Promise<Record<string, number> | null> => {
  if (!(await beginWorkspacePurge(workspaceId, deps.now)).proceed) return null;
  const counts: Record<string, number> = { documents: 0 };
  for (;;) {
    const r = await purgeWorkspaceDocuments(workspaceId, deps);
    counts.documents! += r.deleted;
    if (r.done) break;
  }
  counts.dataExports = await purgeWorkspaceExports(workspaceId, deps);
  for (const table of TABLES) counts[table] = await purgeWorkspaceTable(workspaceId, table);
  counts.jobRuns = await purgeWorkspaceJobHistory(workspaceId);
  counts.auditEvents = await purgeWorkspaceAudit(workspaceId);
  const shred = await shredWorkspaceKeys(workspaceId);
  counts.dataKeysDestroyed = shred.dataKeyVersions.length;
  counts.vaultKeysDestroyed = shred.vaultKeyDestroyed ? 1 : 0;
  await finishWorkspacePurge(workspaceId, counts);
  return counts;
};
