/**
 * The workspace purge through the real Inngest SDK and the local executor: a workspace past its
 * deletion date is purged step by step (objects, every table, audit chain, keys), its run is not
 * part of the job history it deletes, and an event for a workspace whose deletion was cancelled
 * does nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenantWithMembers, tenantCtxOf, TEST_META } from "../../prisma/factories";
import { objectExists, seedContent } from "../../tests/support/privacy-data";
import { runOf, startApp, startExecutor } from "../local/testing/harness";
import { scheduledWorkspacePurge, workspacePurge } from "./workspace-purge";
import { db } from "~/server/db/client";
import { workspacePurgeRequested } from "~/server/events/catalog";
import { inngest } from "~/server/events/client";
import { objectStorage } from "~/server/infra/storage";
import { createCredential } from "~/server/services/providers/credentials";
import { cancelWorkspaceDeletion, requestWorkspaceDeletion } from "~/server/services/privacy/workspace-deletion";

let app: Awaited<ReturnType<typeof startApp>>;
let exec: Awaited<ReturnType<typeof startExecutor>>;

beforeAll(async () => {
  app = await startApp(inngest, [workspacePurge, scheduledWorkspacePurge]);
  exec = await startExecutor({ db });
  await exec.executor.sync(app.url);
  inngest.setEnvVars({ INNGEST_DEV: exec.url });
});
afterAll(async () => {
  await exec?.close();
  await app?.close();
});

const scheduled = async () => {
  const f = await createTenantWithMembers();
  const ctx = { ...tenantCtxOf(f.tenant, f.owner, "OWNER"), meta: TEST_META };
  await requestWorkspaceDeletion(ctx, { confirmation: f.tenant.slug });
  return { ...f, ctx };
};

const purgeRun = async (workspaceId: string) => {
  const { ids } = await inngest.send(workspacePurgeRequested.create({ workspaceId }));
  return exec.executor.waitForRun((await runOf(db, ids[0]!, "ocsuite-privacy-workspace-purge")).id);
};

describe("privacy-workspace-purge", () => {
  it("purges a workspace past its date in steps and destroys its keys", async () => {
    const w = await scheduled();
    const storage = objectStorage();
    const content = await seedContent({ tenantId: w.tenant.id, userId: w.member.id, at: new Date(), storage });
    await createCredential(w.ctx, { provider: "openai", label: "Main", apiKey: "sk-job-shred-0123456789" });
    // The grace period is over.
    await db.tenant.update({ where: { id: w.tenant.id }, data: { deletionScheduledFor: new Date(Date.now() - 1000) } });

    const run = await purgeRun(w.tenant.id);
    expect(run).toMatchObject({ status: "COMPLETED", output: { purged: true, counts: { documents: 1, providerCredential: 1, membership: 4 } } });
    const steps = (await db.inngestStep.findMany({ where: { runId: run.id }, select: { name: true } })).map((s) => s.name);
    expect(steps).toEqual(expect.arrayContaining(["begin", "documents-1", "rows-message", "audit-chain", "shred-keys", "tombstone"]));
    expect(await db.tenant.findUniqueOrThrow({ where: { id: w.tenant.id } })).toMatchObject({ status: "DELETED" });
    expect(await db.tenantDataKey.count({ where: { tenantId: w.tenant.id, status: { not: "destroyed" } } })).toBe(0);
    expect(await db.membership.count({ where: { tenantId: w.tenant.id } })).toBe(0);
    expect(await objectExists(storage, content.storageKey)).toBe(false);
  });

  it("does nothing for a workspace whose deletion was cancelled or is not due", async () => {
    const notDue = await scheduled();
    expect(await purgeRun(notDue.tenant.id)).toMatchObject({ status: "COMPLETED", output: { purged: false } });
    const cancelled = await scheduled();
    await db.tenant.update({ where: { id: cancelled.tenant.id }, data: { deletionScheduledFor: new Date(Date.now() - 1000) } });
    await cancelWorkspaceDeletion(cancelled.ctx);
    expect(await purgeRun(cancelled.tenant.id)).toMatchObject({ status: "COMPLETED", output: { purged: false } });
    expect(await db.membership.count({ where: { tenantId: cancelled.tenant.id } })).toBe(4);
  });
});
