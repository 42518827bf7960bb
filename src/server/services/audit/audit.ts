import "server-only";
import { db, type ActorType, type AuditResult } from "~/server/db/client";
import type { Prisma } from "~/server/db/generated/client";
import { logger } from "~/server/infra/logger";
import { metrics } from "~/server/infra/metrics";
import type { RequestMeta } from "../context";
import { GENESIS_HASH, hashAuditEvent } from "./hash";

export const PLATFORM_CHAIN = "platform";

export type AuditInput = {
  tenantId?: string | null;
  actorId?: string | null;
  actorType: ActorType;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  result?: AuditResult;
  /** JSON-serialisable details; never secrets. */
  metadata?: Prisma.InputJsonObject;
  meta?: RequestMeta;
};

const chainOf = (tenantId: string | null | undefined) => tenantId ?? PLATFORM_CHAIN;

/**
 * Appends one event to its chain (one chain per tenant, one for the platform).
 * An advisory lock per chain serialises writers so seq and prevHash never fork.
 * Throws on failure; callers on a request path use `recordAudit` instead.
 */
export const appendAuditEvent = async (input: AuditInput) => {
  const chain = chainOf(input.tenantId);
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`audit:${chain}`}))`;
    const last = await tx.auditEvent.findFirst({ where: { chain }, orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
    const row = {
      chain,
      seq: (last?.seq ?? 0) + 1,
      tenantId: input.tenantId ?? null,
      actorId: input.actorId ?? null,
      actorType: input.actorType,
      action: input.action,
      targetType: input.targetType ?? null,
      targetId: input.targetId ?? null,
      ip: input.meta?.ip?.slice(0, 100) ?? null,
      userAgent: input.meta?.userAgent?.slice(0, 400) ?? null,
      result: input.result ?? "SUCCESS",
      metadata: input.metadata ?? null,
      createdAt: new Date(),
      prevHash: last?.hash ?? GENESIS_HASH,
    };
    const hash = hashAuditEvent(row);
    return tx.auditEvent.create({ data: { ...row, metadata: row.metadata ?? undefined, hash } });
  });
};

/**
 * Records an audit event without ever failing the caller's request: a write
 * failure is logged and counted (ocsuite_audit_write_failures_total), which
 * alerts on-call, but the user's action stands.
 */
export const recordAudit = async (input: AuditInput): Promise<void> => {
  try {
    await appendAuditEvent(input);
  } catch (err) {
    metrics.auditWriteFailures.add(1, { "ocsuite.audit.action": input.action });
    logger.error({ err, action: input.action, tenantId: input.tenantId }, "audit write failed");
  }
};

export type ChainVerification = { chain: string; checked: number; ok: boolean; firstBrokenSeq: number | null; firstBrokenId: string | null };

/**
 * The action of the event a retention purge records before it deletes a prefix of a chain
 * (services/audit/audit-prefix.ts): its metadata.auditAnchor holds the seq and hash of the last
 * event it purges, so verification can start after the gap.
 */
export const AUDIT_ANCHOR_ACTION = "privacy.retention.purged";
export type AuditAnchor = { purgedThroughSeq: number; purgedThroughHash: string };

/**
 * Where verification starts: the genesis, or, when a retention purge removed the chain's first
 * events, the anchor recorded for exactly that prefix. The anchor is itself a later link of the
 * chain, so a forged or edited anchor breaks the chain where it stands; a prefix deleted without
 * an anchor (or with another length) has none and fails at its first remaining event.
 */
const verificationStart = async (chain: string): Promise<{ seq: number; prevHash: string } | null> => {
  const first = await db.auditEvent.findFirst({ where: { chain }, orderBy: { seq: "asc" }, select: { id: true, seq: true } });
  if (!first || first.seq === 1) return { seq: 1, prevHash: GENESIS_HASH };
  const anchor = await db.auditEvent.findFirst({
    where: { chain, action: AUDIT_ANCHOR_ACTION, seq: { gte: first.seq }, metadata: { path: ["auditAnchor", "purgedThroughSeq"], equals: first.seq - 1 } },
    orderBy: { seq: "desc" },
    select: { metadata: true },
  });
  const hash = (anchor?.metadata as { auditAnchor?: Partial<AuditAnchor> } | null)?.auditAnchor?.purgedThroughHash;
  return typeof hash === "string" ? { seq: first.seq, prevHash: hash } : null;
};

/**
 * Recomputes every hash of a chain in order and reports the first broken link. A chain whose
 * oldest events were purged under the retention policy starts from its anchor (see
 * verificationStart); `checked` counts the events that remain.
 */
export const verifyAuditChain = async (chain: string): Promise<ChainVerification> => {
  const start = await verificationStart(chain);
  if (!start) {
    const first = await db.auditEvent.findFirst({ where: { chain }, orderBy: { seq: "asc" }, select: { id: true, seq: true } });
    return { chain, checked: 0, ok: false, firstBrokenSeq: first?.seq ?? null, firstBrokenId: first?.id ?? null };
  }
  let prevHash = start.prevHash;
  let expectedSeq = start.seq;
  let checked = 0;
  let cursor: number | undefined;
  for (;;) {
    const page = await db.auditEvent.findMany({
      where: { chain, ...(cursor ? { seq: { gt: cursor } } : {}) },
      orderBy: { seq: "asc" },
      take: 500,
    });
    if (page.length === 0) break;
    for (const e of page) {
      const recomputed = hashAuditEvent({ ...e, metadata: e.metadata });
      if (e.seq !== expectedSeq || e.prevHash !== prevHash || e.hash !== recomputed) {
        return { chain, checked, ok: false, firstBrokenSeq: e.seq, firstBrokenId: e.id };
      }
      prevHash = e.hash;
      expectedSeq += 1;
      checked += 1;
    }
    cursor = page[page.length - 1]!.seq;
  }
  return { chain, checked, ok: true, firstBrokenSeq: null, firstBrokenId: null };
};
