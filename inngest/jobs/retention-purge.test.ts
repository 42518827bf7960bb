/**
 * The retention purge through the real Inngest SDK and the local executor (as run-task.test.ts):
 * the per-workspace function deletes in checkpointed batches (one step each), records its counts
 * on the audit chain, and a second run finds nothing; the daily cron fans out one request per
 * workspace with a window. Data is back-dated (the clock as seen by the rows moved back).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenantWithMembers } from "../../prisma/factories";
import { objectExists, remainingOf, seedContent } from "../../tests/support/privacy-data";
import { runOf, startApp, startExecutor } from "../local/testing/harness";
import { retentionPurge, scheduledRetentionPurge } from "./retention-purge";
import { db } from "~/server/db/client";
import { retentionPurgeRequested } from "~/server/events/catalog";
import { inngest } from "~/server/events/client";
import { objectStorage } from "~/server/infra/storage";
import { AUDIT_ANCHOR_ACTION, verifyAuditChain } from "~/server/services/audit/audit";
import { RETENTION_BATCH } from "~/server/services/privacy/retention";

let app: Awaited<ReturnType<typeof startApp>>;
let exec: Awaited<ReturnType<typeof startExecutor>>;
/** The executor's clock runs this far ahead of the wall clock (the cron test moves it to 02:00 UTC). */
let offsetMs = 0;

beforeAll(async () => {
  app = await startApp(inngest, [retentionPurge, scheduledRetentionPurge]);
  exec = await startExecutor({ db, now: () => Date.now() + offsetMs, cronIntervalMs: 20 });
  await exec.executor.sync(app.url);
  inngest.setEnvVars({ INNGEST_DEV: exec.url });
});
afterAll(async () => {
  await exec?.close();
  await app?.close();
});

const ago = (days: number) => new Date(Date.now() - days * 86_400_000);
const purgeRunsOf = (tenantId: string) => db.inngestRun.findMany({ where: { functionId: "ocsuite-privacy-retention-purge", event: { path: ["data", "tenantId"], equals: tenantId } }, orderBy: { createdAt: "asc" } });

describe("privacy-retention-purge", () => {
  it("purges a workspace in checkpointed batches, records the counts, and a second run is a no-op", async () => {
    const f = await createTenantWithMembers();
    await db.tenant.update({ where: { id: f.tenant.id }, data: { retentionDocumentsDays: 30, retentionLlmCallsDays: 30, retentionConversationsDays: 30 } });
    const storage = objectStorage();
    const old = await seedContent({ tenantId: f.tenant.id, userId: f.owner.id, at: ago(40), storage, label: "old" });
    const young = await seedContent({ tenantId: f.tenant.id, userId: f.owner.id, at: ago(5), storage, label: "young" });
    const extraCalls = RETENTION_BATCH + 3;
    await db.llmCall.createMany({ data: Array.from({ length: extraCalls }, () => ({ tenantId: f.tenant.id, provider: "offline", model: "offline", operation: "chat", durationMs: 1, status: "ok", createdAt: ago(60) })) });

    const { ids } = await inngest.send(retentionPurgeRequested.create({ tenantId: f.tenant.id }));
    const run = await exec.executor.waitForRun((await runOf(db, ids[0]!, "ocsuite-privacy-retention-purge")).id);
    expect(run).toMatchObject({ status: "COMPLETED" });
    expect(run.output).toMatchObject({ counts: { documents: 1, llmCalls: extraCalls + 1, messages: 2, conversations: 1, meetings: 0, tasks: 0 } });
    // Every batch was its own step: two of LLM calls (500 + 4).
    const steps = await db.inngestStep.findMany({ where: { runId: run.id }, select: { name: true } });
    expect(steps.map((s) => s.name)).toEqual(expect.arrayContaining(["purge-llmCalls-1", "purge-llmCalls-2", "record"]));

    expect(await remainingOf(old)).toMatchObject({ documents: 0, chunks: 0, llmCalls: 0, messages: 0, conversations: 0, meetings: 1, tasks: 1 });
    expect(await objectExists(storage, old.storageKey)).toBe(false);
    expect(await remainingOf(young)).toMatchObject({ documents: 1, chunks: 2, llmCalls: 1, messages: 2 });
    expect(await objectExists(storage, young.storageKey)).toBe(true);
    expect(await db.auditEvent.count({ where: { chain: f.tenant.id, action: AUDIT_ANCHOR_ACTION } })).toBe(1);
    expect((await verifyAuditChain(f.tenant.id)).ok).toBe(true);

    const second = await inngest.send(retentionPurgeRequested.create({ tenantId: f.tenant.id }));
    const again = await exec.executor.waitForRun((await runOf(db, second.ids[0]!, "ocsuite-privacy-retention-purge")).id);
    expect(again).toMatchObject({ status: "COMPLETED" });
    expect(Object.values((again.output as { counts: Record<string, number> }).counts).every((n) => n === 0)).toBe(true);
    expect(await db.auditEvent.count({ where: { chain: f.tenant.id, action: AUDIT_ANCHOR_ACTION } })).toBe(1);
  });

  it("the daily cron requests one purge per workspace with a window, none for a workspace that keeps everything", async () => {
    const withWindow = await createTenantWithMembers();
    await db.tenant.update({ where: { id: withWindow.tenant.id }, data: { retentionLlmCallsDays: 90 } });
    const keepsAll = await createTenantWithMembers();

    // The executor's clock moves to the next 02:00:30 UTC: the cron's minute.
    const next = new Date();
    next.setUTCHours(2, 0, 30, 0);
    if (next.getTime() <= Date.now()) next.setUTCDate(next.getUTCDate() + 1);
    offsetMs = next.getTime() - Date.now();
    await exec.executor.cronTick();
    const run = await exec.executor.waitForRun((await runOf(db, "", "ocsuite-privacy-retention-purge", 10_000, { path: ["data", "tenantId"], equals: withWindow.tenant.id })).id);
    expect(run).toMatchObject({ status: "COMPLETED" });
    expect(await purgeRunsOf(keepsAll.tenant.id)).toHaveLength(0);
  });
});
