import "server-only";
import { db } from "~/server/db/client";
import type { Prisma } from "~/server/db/generated/client";
import { appendAuditEvent, AUDIT_ANCHOR_ACTION, type AuditAnchor } from "./audit";

/*
 * Deleting the oldest events of an audit chain under a retention policy (issue 16) without
 * making the chain unverifiable.
 *
 * A hash chain proves that nothing was changed or removed between its genesis and its head; a
 * purged prefix removes the genesis. So the purge first appends an anchor event (AUDIT_ANCHOR_ACTION)
 * whose metadata names the seq and hash of the last event it will delete, and only then deletes
 * seq <= that. verifyAuditChain starts from the anchor whose purgedThroughSeq is the first
 * remaining seq - 1. The anchor is a later link, hashed like any other, so it cannot be edited
 * without breaking the chain; a prefix deleted any other way has no anchor and fails verification.
 *
 * The prefix is deleted in ONE transaction (not in batches like the other classes): between two
 * batches the chain would start at an event whose predecessor no anchor names, and verification
 * would fail while the purge is under way. A year or more of one workspace's events is small
 * enough for one DELETE (docs/performance.md has the figures for the whole chain's verification).
 *
 * The AuditEvent trigger rejects DELETE unless the transaction set ocsuite.audit_retention_purge
 * (migration 20261207055707_audit_retention_purge): the append-only rule still holds for every
 * other code path, which is what the trigger guards against (a database superuser could always
 * bypass a trigger).
 */

/** The last seq of the chain's prefix older than `cutoff`: every event up to it is older (events are appended in time order, but the check does not rely on it). */
const prefixEnd = async (chain: string, cutoff: Date): Promise<number> => {
  const firstYoung = await db.auditEvent.findFirst({ where: { chain, createdAt: { gte: cutoff } }, orderBy: { seq: "asc" }, select: { seq: true } });
  const lastOld = await db.auditEvent.findFirst({
    where: { chain, createdAt: { lt: cutoff }, ...(firstYoung ? { seq: { lt: firstYoung.seq } } : {}) },
    orderBy: { seq: "desc" },
    select: { seq: true },
  });
  return lastOld?.seq ?? 0;
};

export type AuditPrefixPlan = { throughSeq: number; count: number; anchor: AuditAnchor | null };

/** What a purge of `chain` at `cutoff` would delete: the prefix's end, how many events remain in it, and its anchor (the hash of its last event). */
export const planAuditPrefixPurge = async (chain: string, cutoff: Date): Promise<AuditPrefixPlan> => {
  const throughSeq = await prefixEnd(chain, cutoff);
  if (throughSeq === 0) return { throughSeq, count: 0, anchor: null };
  const count = await db.auditEvent.count({ where: { chain, seq: { lte: throughSeq } } });
  const last = await db.auditEvent.findUnique({ where: { chain_seq: { chain, seq: throughSeq } }, select: { hash: true } });
  return { throughSeq, count, anchor: last ? { purgedThroughSeq: throughSeq, purgedThroughHash: last.hash } : null };
};

/**
 * Appends the purge's record with its anchor (when a prefix is to go) unless an anchor for that
 * same prefix is already on the chain (a purge that crashed after recording it). `metadata` is the
 * purge's counts; never content.
 */
export const recordPurgeWithAnchor = async (input: { tenantId: string; plan: AuditPrefixPlan; metadata: Prisma.InputJsonObject }): Promise<void> => {
  const { anchor } = input.plan;
  if (anchor) {
    const existing = await db.auditEvent.findFirst({
      where: { chain: input.tenantId, action: AUDIT_ANCHOR_ACTION, metadata: { path: ["auditAnchor", "purgedThroughSeq"], equals: anchor.purgedThroughSeq } },
      select: { id: true },
    });
    if (existing) return;
  }
  await appendAuditEvent({
    tenantId: input.tenantId,
    actorType: "SYSTEM",
    action: AUDIT_ANCHOR_ACTION,
    targetType: "tenant",
    targetId: input.tenantId,
    metadata: { ...input.metadata, ...(anchor ? { auditAnchor: anchor } : {}) },
  });
};

/** Deletes the events seq <= throughSeq of `chain` in one transaction; only after their anchor is recorded. */
export const deleteAuditPrefix = async (chain: string, throughSeq: number): Promise<number> => {
  if (throughSeq <= 0) return 0;
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT set_config('ocsuite.audit_retention_purge', 'on', true)`;
    const { count } = await tx.auditEvent.deleteMany({ where: { chain, seq: { lte: throughSeq } } });
    return count;
  });
};

/** Deletes every event of a chain: only for a workspace being purged, whose deletion is recorded on the platform chain. */
export const deleteAuditChain = async (chain: string): Promise<number> =>
  db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT set_config('ocsuite.audit_retention_purge', 'on', true)`;
    const { count } = await tx.auditEvent.deleteMany({ where: { chain } });
    return count;
  });
