import { workspacePurgeRequested } from "~/server/events/catalog";
import { inngest } from "~/server/events/client";
import { workspacesDueForPurge } from "~/server/services/privacy/workspace-deletion";
import {
  beginWorkspacePurge,
  finishWorkspacePurge,
  purgeWorkspaceAudit,
  purgeWorkspaceDocuments,
  purgeWorkspaceExports,
  purgeWorkspaceJobHistory,
  purgeWorkspaceTable,
  shredWorkspaceKeys,
  WORKSPACE_PURGE_TABLES,
} from "~/server/services/privacy/workspace-purge";
import { toStepError } from "./tenant-guard";

const guarded = <T>(work: () => Promise<T>) => async (): Promise<T> => {
  try {
    return await work();
  } catch (err) {
    throw toStepError(err);
  }
};

/** Hourly: one purge request per workspace whose deletion grace period is over. */
export const scheduledWorkspacePurge = inngest.createFunction(
  { id: "privacy-scheduled-workspace-purge", name: "Purge workspaces past their deletion date", triggers: [{ cron: "TZ=UTC 15 * * * *" }], retries: 2, concurrency: [{ limit: 1 }] },
  async ({ step }) => {
    const due = await step.run("list-due", () => workspacesDueForPurge());
    if (due.length > 0) await step.sendEvent("request-purges", due.map((workspaceId) => workspacePurgeRequested.create({ workspaceId })));
    return { workspaces: due.length };
  },
);

/**
 * A workspace's final purge (services/privacy/workspace-purge.ts): objects, then every table,
 * then its audit chain, then crypto-shredding of its data keys, then the tombstone and the
 * platform audit record. Each is a step (documents in batches), each idempotent, so a killed
 * worker resumes where it stopped; step outputs are counts only. The event names the workspace as
 * `workspaceId` (not `tenantId`) so this run is not part of the job history it deletes.
 */
export const workspacePurge = inngest.createFunction(
  {
    id: "privacy-workspace-purge",
    name: "Purge a deleted workspace and destroy its keys",
    triggers: [workspacePurgeRequested],
    retries: 4,
    concurrency: [{ key: "event.data.workspaceId", limit: 1 }, { limit: 2 }],
  },
  async ({ event, step }) => {
    const { workspaceId } = event.data;
    const begun = await step.run("begin", guarded(() => beginWorkspacePurge(workspaceId)));
    if (!begun.proceed) return { purged: false };
    const counts: Record<string, number> = { documents: 0 };
    for (let batch = 1; ; batch++) {
      const r = await step.run(`documents-${batch}`, guarded(() => purgeWorkspaceDocuments(workspaceId)));
      counts.documents! += r.deleted;
      if (r.done) break;
    }
    counts.dataExports = await step.run("data-exports", guarded(() => purgeWorkspaceExports(workspaceId)));
    for (const table of WORKSPACE_PURGE_TABLES) counts[table] = await step.run(`rows-${table}`, guarded(() => purgeWorkspaceTable(workspaceId, table)));
    counts.jobRuns = await step.run("job-history", guarded(() => purgeWorkspaceJobHistory(workspaceId)));
    counts.auditEvents = await step.run("audit-chain", guarded(() => purgeWorkspaceAudit(workspaceId)));
    const shred = await step.run("shred-keys", guarded(() => shredWorkspaceKeys(workspaceId)));
    counts.dataKeysDestroyed = shred.dataKeyVersions.length;
    counts.vaultKeysDestroyed = shred.vaultKeyDestroyed ? 1 : 0;
    await step.run("tombstone", guarded(() => finishWorkspacePurge(workspaceId, counts)));
    return { purged: true, counts };
  },
);
