/**
 * Runs the local executor as a process:
 *   tsx inngest/local/main.ts
 * Env: DATABASE_URL (required), INNGEST_APP_URL (serve endpoint(s) to sync,
 * comma-separated; default http://127.0.0.1:3000/api/inngest),
 * INNGEST_LOCAL_PORT (default 8288, the port the SDK's dev mode targets),
 * INNGEST_SIGNING_KEY (optional: sign call requests), INNGEST_LOCAL_LEASE_MS,
 * INNGEST_LOCAL_BACKOFF_MS (base of an exponential backoff instead of Inngest's table).
 * The app reaches it with INNGEST_DEV=http://127.0.0.1:<port>.
 */
import { executorEnv } from "../../src/env-executor.js";
import { createExecutorDb } from "./db";
import { createLocalExecutor, type ExecutorLogger } from "./executor";
import { createExecutorServer } from "./http";

// Validated (src/env-executor.js): a bad or missing variable exits 2 naming it.
const env = executorEnv();
const port = env.INNGEST_LOCAL_PORT;
const appUrls = env.INNGEST_APP_URL;
const backoffBase = env.INNGEST_LOCAL_BACKOFF_MS;

const logger: ExecutorLogger = {
  info: (msg, extra) => console.log(JSON.stringify({ level: "info", component: "inngest-local", msg, ...extra })),
  warn: (msg, extra) => console.warn(JSON.stringify({ level: "warn", component: "inngest-local", msg, ...extra })),
  error: (msg, extra) => console.error(JSON.stringify({ level: "error", component: "inngest-local", msg, ...extra })),
};

const db = createExecutorDb(env.DATABASE_URL);
const executor = createLocalExecutor({
  db,
  signingKey: env.INNGEST_SIGNING_KEY,
  leaseMs: env.INNGEST_LOCAL_LEASE_MS,
  backoff: backoffBase ? (n) => backoffBase * 2 ** (n - 1) : undefined,
  logger,
});
const server = createExecutorServer(executor, { db, eventKey: env.INNGEST_LOCAL_EVENT_KEY });
await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
await executor.start();
// The app may start after the executor: keep trying to sync until it answers.
const pending = new Set(appUrls);
const syncAll = async () => {
  for (const url of pending) {
    try {
      await executor.sync(url);
      pending.delete(url);
    } catch (err) {
      logger.warn("sync failed; retrying", { url, err: (err as Error).message });
    }
  }
  if (pending.size) setTimeout(() => void syncAll(), 2000);
};
await syncAll();
logger.info("listening", { url: `http://127.0.0.1:${port}`, apps: appUrls });
process.stdout.write(`INNGEST_LOCAL_READY ${port}\n`);

const shutdown = async () => {
  server.close();
  await executor.stop();
  await db.$disconnect();
  process.exit(0);
};
process.on("SIGINT", () => void shutdown());
process.on("SIGTERM", () => void shutdown());
