/**
 * Retention enforcement on real PostgreSQL and the fs storage driver, with the clock moved
 * forward by passing the purge's `now`: nothing younger than a window is touched, cascades leave
 * no orphan chunk, embedding or stored object, a second run is a no-op, a run killed half-way
 * completes when run again, and the audit chain still verifies after its prefix is purged.
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createTenantWithMembers } from "../../../../prisma/factories";
import { objectExists, remainingOf, seedContent } from "../../../../tests/support/privacy-data";
import { RETENTION_MIN_DAYS } from "~/lib/retention";
import { db } from "~/server/db/client";
import { Prisma } from "~/server/db/generated/client";
import { createFsStorage, type ObjectStorage } from "~/server/infra/storage";
import { appendAuditEvent, AUDIT_ANCHOR_ACTION, verifyAuditChain } from "../audit/audit";
import { effectivePolicy, purgeRetentionBatch, RETENTION_BATCH, runRetentionPurge } from "./retention";

const DAY = 86_400_000;
const storage = createFsStorage(mkdtempSync(path.join(os.tmpdir(), "ocsuite-retention-")));
const days = (n: number) => new Date(Date.now() + n * DAY);

const workspace = async (windows: Partial<Record<"retentionConversationsDays" | "retentionMeetingsDays" | "retentionTasksDays" | "retentionDocumentsDays" | "retentionLlmCallsDays" | "retentionAuditDays", number>>) => {
  const f = await createTenantWithMembers();
  await db.tenant.update({ where: { id: f.tenant.id }, data: windows });
  return f;
};

const ALL_30 = { retentionConversationsDays: 30, retentionMeetingsDays: 30, retentionTasksDays: 30, retentionDocumentsDays: 30, retentionLlmCallsDays: 30 };

/** Rows whose parent is gone: must always be zero. */
const orphans = async () => {
  const [row] = await db.$queryRaw<{ chunks: bigint; embeddings: bigint | null }[]>`
    SELECT (SELECT count(*) FROM "DocumentChunk" c WHERE NOT EXISTS (SELECT 1 FROM "Document" d WHERE d.id = c."documentId")) AS chunks,
           CASE WHEN to_regclass('"DocumentChunkEmbedding"') IS NULL THEN NULL ELSE 0 END AS embeddings`;
  let embeddings = 0;
  if (row!.embeddings !== null) {
    const [e] = await db.$queryRaw<{ n: bigint }[]>(Prisma.sql`SELECT count(*) AS n FROM "DocumentChunkEmbedding" e WHERE NOT EXISTS (SELECT 1 FROM "DocumentChunk" c WHERE c.id = e."chunkId")`);
    embeddings = Number(e!.n);
  }
  return { chunks: Number(row!.chunks), embeddings };
};

describe("retention purge", () => {
  it("deletes what is older than each window with its dependants and stored original, and touches nothing younger", async () => {
    const f = await workspace(ALL_30);
    const old = await seedContent({ tenantId: f.tenant.id, userId: f.owner.id, at: new Date(), storage, label: "old" });
    // Created 25 days later: at the purge (35 days on) it is 10 days old, inside every 30-day window.
    const young = await seedContent({ tenantId: f.tenant.id, userId: f.owner.id, at: days(25), storage, label: "young" });
    const other = await createTenantWithMembers();
    await db.tenant.update({ where: { id: other.tenant.id }, data: ALL_30 });
    const otherOld = await seedContent({ tenantId: other.tenant.id, userId: other.owner.id, at: new Date(), storage, label: "other" });

    const counts = await runRetentionPurge({ tenantId: f.tenant.id, now: days(35) }, { storage });

    expect(counts).toEqual({ messages: 2, conversations: 1, meetings: 1, tasks: 1, documents: 1, llmCalls: 1, auditEvents: 0 });
    expect(await remainingOf(old)).toEqual({ conversations: 0, messages: 0, meetings: 0, meetingTurns: 0, meetingOutcomes: 0, actionItems: 0, tasks: 0, taskSteps: 0, documents: 0, chunks: 0, llmCalls: 0 });
    expect(await objectExists(storage, old.storageKey)).toBe(false);
    expect(await remainingOf(young)).toEqual({ conversations: 1, messages: 2, meetings: 1, meetingTurns: 1, meetingOutcomes: 1, actionItems: 1, tasks: 1, taskSteps: 1, documents: 1, chunks: 2, llmCalls: 1 });
    expect(await objectExists(storage, young.storageKey)).toBe(true);
    // Another workspace's old data is not this purge's business.
    expect((await remainingOf(otherOld)).documents).toBe(1);
    expect(await orphans()).toEqual({ chunks: 0, embeddings: 0 });

    // The purge is on the chain with its counts, and nothing of the content.
    const recorded = await db.auditEvent.findFirst({ where: { chain: f.tenant.id, action: AUDIT_ANCHOR_ACTION } });
    expect(recorded?.metadata).toMatchObject({ counts: { messages: 2, documents: 1 } });
    expect(JSON.stringify(recorded?.metadata)).not.toMatch(/old|Question|Decision|plan-/);
    expect((await db.tenant.findUniqueOrThrow({ where: { id: f.tenant.id } })).retentionPurgedAt).not.toBeNull();
  });

  it("keeps a class without a window, and deletes old messages of a conversation still in use", async () => {
    const f = await workspace({ retentionConversationsDays: 30 });
    const s = await seedContent({ tenantId: f.tenant.id, userId: f.owner.id, at: new Date(), storage });
    // The conversation carried on: a new message 30 days later keeps it, not its old messages.
    await db.message.create({ data: { tenantId: f.tenant.id, conversationId: s.conversationId, role: "user", content: "Later", createdAt: days(30) } });
    await db.conversation.update({ where: { id: s.conversationId }, data: { lastMessageAt: days(30) } });

    await runRetentionPurge({ tenantId: f.tenant.id, now: days(40) }, { storage });
    const left = await remainingOf(s);
    expect(left).toMatchObject({ conversations: 1, messages: 0, meetings: 1, tasks: 1, documents: 1, llmCalls: 1 });
    expect(await db.message.count({ where: { conversationId: s.conversationId } })).toBe(1);
  });

  it("a second run is a no-op and records nothing", async () => {
    const f = await workspace(ALL_30);
    await seedContent({ tenantId: f.tenant.id, userId: f.owner.id, at: new Date(), storage });
    await runRetentionPurge({ tenantId: f.tenant.id, now: days(31) }, { storage });
    const events = await db.auditEvent.count({ where: { chain: f.tenant.id } });

    const again = await runRetentionPurge({ tenantId: f.tenant.id, now: days(31) }, { storage });
    expect(Object.values(again).every((n) => n === 0)).toBe(true);
    expect(await db.auditEvent.count({ where: { chain: f.tenant.id } })).toBe(events);
  });

  it("a run killed half-way (storage failing mid-batch) completes when run again, leaving no orphan object", async () => {
    const f = await workspace({ retentionDocumentsDays: 30 });
    const seeded = [];
    for (let i = 0; i < 3; i++) seeded.push(await seedContent({ tenantId: f.tenant.id, userId: f.owner.id, at: new Date(), storage, label: `doc${i}` }));
    let deletes = 0;
    const crashing: ObjectStorage = {
      ...storage,
      delete: async (key) => {
        if (++deletes === 2) throw new Error("worker killed");
        await storage.delete(key);
      },
    };
    await expect(purgeRetentionBatch({ tenantId: f.tenant.id, unit: "documents", now: days(31) }, { storage: crashing })).rejects.toThrow("worker killed");
    // The first original is gone, its row still listed: the next run picks it up again.
    expect(await db.document.count({ where: { tenantId: f.tenant.id } })).toBe(3);

    const counts = await runRetentionPurge({ tenantId: f.tenant.id, now: days(31) }, { storage });
    expect(counts.documents).toBe(3);
    for (const s of seeded) expect(await objectExists(storage, s.storageKey)).toBe(false);
    expect(await db.document.count({ where: { tenantId: f.tenant.id } })).toBe(0);
    expect(await orphans()).toEqual({ chunks: 0, embeddings: 0 });
  });

  it("works in batches of RETENTION_BATCH rows", async () => {
    const f = await workspace({ retentionLlmCallsDays: 7 });
    const rows = RETENTION_BATCH * 2 + 17;
    await db.llmCall.createMany({ data: Array.from({ length: rows }, () => ({ tenantId: f.tenant.id, provider: "offline", model: "offline", operation: "chat", durationMs: 1, status: "ok" })) });
    const first = await purgeRetentionBatch({ tenantId: f.tenant.id, unit: "llmCalls", now: days(8) });
    expect(first).toEqual({ deleted: RETENTION_BATCH, done: false });
    const counts = await runRetentionPurge({ tenantId: f.tenant.id, now: days(8) });
    expect(counts.llmCalls).toBe(rows - RETENTION_BATCH);
    expect(await db.llmCall.count({ where: { tenantId: f.tenant.id } })).toBe(0);
  });
});

describe("retention of audit events", () => {
  it("never purges audit events younger than the legal minimum, whatever the stored window", async () => {
    expect(effectivePolicy({ retentionConversationsDays: null, retentionMeetingsDays: 5, retentionTasksDays: null, retentionDocumentsDays: null, retentionLlmCallsDays: null, retentionAuditDays: 30 }).audit).toBe(RETENTION_MIN_DAYS.audit);
    const f = await workspace({ retentionAuditDays: 30 });
    for (let i = 0; i < 3; i++) await appendAuditEvent({ tenantId: f.tenant.id, actorType: "SYSTEM", action: "test.event" });
    // 100 days on: past the stored 30-day window, inside the 365-day minimum.
    const counts = await runRetentionPurge({ tenantId: f.tenant.id, now: days(100) });
    expect(counts.auditEvents).toBe(0);
    expect(await db.auditEvent.count({ where: { chain: f.tenant.id, action: "test.event" } })).toBe(3);
  });

  it("purges the chain's prefix past the window behind an anchor, and the chain still verifies", async () => {
    const f = await workspace({ retentionAuditDays: 365 });
    for (let i = 0; i < 4; i++) await appendAuditEvent({ tenantId: f.tenant.id, actorType: "SYSTEM", action: "test.event", metadata: { i } });
    const before = await db.auditEvent.count({ where: { chain: f.tenant.id } });

    const counts = await runRetentionPurge({ tenantId: f.tenant.id, now: days(400) });
    expect(counts.auditEvents).toBe(before);
    const left = await db.auditEvent.findMany({ where: { chain: f.tenant.id }, orderBy: { seq: "asc" } });
    // Only the purge's own record is left; it names the last purged event.
    expect(left.map((e) => e.action)).toEqual([AUDIT_ANCHOR_ACTION]);
    expect(left[0]!.metadata).toMatchObject({ counts: { auditEvents: before }, auditAnchor: { purgedThroughSeq: before } });
    expect(await verifyAuditChain(f.tenant.id)).toMatchObject({ ok: true, checked: 1 });

    // The chain goes on and a later purge anchors again over the first anchor.
    await appendAuditEvent({ tenantId: f.tenant.id, actorType: "SYSTEM", action: "test.event" });
    expect(await verifyAuditChain(f.tenant.id)).toMatchObject({ ok: true, checked: 2 });
    await runRetentionPurge({ tenantId: f.tenant.id, now: days(800) });
    expect(await verifyAuditChain(f.tenant.id)).toMatchObject({ ok: true, checked: 1 });
  });

  it("a prefix deleted without an anchor fails verification, and the trigger still refuses a plain DELETE", async () => {
    const f = await workspace({});
    for (let i = 0; i < 3; i++) await appendAuditEvent({ tenantId: f.tenant.id, actorType: "SYSTEM", action: "test.event" });
    await expect(db.auditEvent.deleteMany({ where: { chain: f.tenant.id, seq: 1 } })).rejects.toThrow(/append-only/);
    await db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT set_config('ocsuite.audit_retention_purge', 'on', true)`;
      await tx.auditEvent.deleteMany({ where: { chain: f.tenant.id, seq: 1 } });
    });
    expect(await verifyAuditChain(f.tenant.id)).toMatchObject({ ok: false, firstBrokenSeq: 2 });
  });
});
