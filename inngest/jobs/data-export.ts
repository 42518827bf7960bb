import { NonRetriableError } from "inngest";
import { dataExportRequested } from "~/server/events/catalog";
import { inngest } from "~/server/events/client";
import { isAppError } from "~/server/errors";
import { buildExport } from "~/server/services/privacy/export/build-export";
import { expireExports, markExportFailed, notifyExportRequester } from "~/server/services/privacy/export/lifecycle";
import { stopIfSuspended } from "./tenant-guard";

/** A build error a retry cannot fix: stop at once with its reason (what onFailure records). */
const permanent = async <T>(work: () => Promise<T>): Promise<T> => {
  try {
    return await work();
  } catch (err) {
    if (isAppError(err) && (err.reason === "exportTooLarge" || err.reason === "notFound")) throw new NonRetriableError(err.reason, { cause: err });
    throw err;
  }
};

/**
 * One data export (issue 16; services/privacy/export):
 *   build   stream the archive to disk, store it, mark the DataExport ready (progress written
 *           after every batch). One step: a zip stream cannot resume elsewhere, so a retry builds
 *           the archive again under the same key.
 *   notify  e-mail the requester (ready, or failed with what to do).
 * A suspended workspace is not exported (tenantSuspended). onFailure marks the export failed with
 * its reason and tells the requester. At most one build per workspace at a time and two overall:
 * an archive build reads every table of a workspace and should not crowd out user work.
 */
export const dataExport = inngest.createFunction(
  {
    id: "privacy-data-export",
    name: "Build a data export",
    triggers: [dataExportRequested],
    retries: 2,
    concurrency: [{ key: "event.data.tenantId", limit: 1 }, { limit: 2 }],
    idempotency: "event.data.exportId",
    onFailure: async ({ event, error, step }) => {
      const { exportId, appUrl, locale } = event.data.event.data;
      await step.run("mark-failed", () => markExportFailed(exportId, error.message));
      await step.run("notify-failed", () => notifyExportRequester(exportId, { appUrl, locale }));
    },
  },
  async ({ event, step }) => {
    const { tenantId, exportId, appUrl, locale } = event.data;
    const built = await step.run("build", async () => {
      await stopIfSuspended(tenantId);
      return permanent(() => buildExport(exportId));
    });
    if (built.status !== "ready") return built;
    await step.run("notify", () => notifyExportRequester(exportId, { appUrl, locale }));
    return built;
  },
);

/** Hourly: archives past their expiry are deleted from storage and their exports marked expired. */
export const expireDataExports = inngest.createFunction(
  { id: "privacy-expire-data-exports", name: "Delete expired data exports", triggers: [{ cron: "TZ=UTC 17 * * * *" }], retries: 2, concurrency: [{ limit: 1 }] },
  async ({ step }) => step.run("expire", () => expireExports()),
);
