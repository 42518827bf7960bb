/**
 * The app's real Inngest functions served over HTTP (inngest/node) and driven by a local executor on
 * the test database, with the app's Inngest client pointed at it: what a test needs when procedures
 * or services send events for real (rotations, replays, diagnostics).
 */
import { functions } from "../../inngest/functions";
import { startApp, startExecutor } from "../../inngest/local/testing/harness";
import { db } from "~/server/db/client";
import { inngest } from "~/server/events/client";

export type AppEngine = { executor: Awaited<ReturnType<typeof startExecutor>>["executor"]; close: () => Promise<void> };

export const startAppEngine = async (): Promise<AppEngine> => {
  const app = await startApp(inngest, functions);
  const exec = await startExecutor({ db });
  await exec.executor.sync(app.url);
  inngest.setEnvVars({ INNGEST_DEV: exec.url });
  return {
    executor: exec.executor,
    close: async () => {
      await exec.close();
      await app.close();
    },
  };
};
