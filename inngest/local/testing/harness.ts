/**
 * Test helpers: serve real SDK functions over real HTTP (inngest/node) and run
 * an executor with its intake on a free local port.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Inngest, InngestFunction } from "inngest";
import { serve } from "inngest/node";
import type { PrismaClient } from "~/server/db/generated/client";
import { createLocalExecutor, type ExecutorOptions } from "../executor";
import { createExecutorServer } from "../http";

const listen = (server: Server, port = 0) =>
  new Promise<string>((resolve) => {
    server.listen(port, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

export const startApp = async (client: Inngest.Any, functions: InngestFunction.Any[]) => {
  const server = createServer(serve({ client, functions }));
  const origin = await listen(server);
  return { url: `${origin}/api/inngest`, close: () => close(server) };
};

export const startExecutor = async (opts: Omit<ExecutorOptions, "db"> & { db: PrismaClient; port?: number }) => {
  const executor = createLocalExecutor({ pollIntervalMs: 20, backoff: (n) => 40 * n, ...opts });
  const server = createExecutorServer(executor, { db: opts.db, eventKey: opts.eventKey });
  const url = await listen(server, opts.port);
  await executor.start();
  return {
    executor,
    url,
    close: async () => {
      await executor.stop();
      await close(server);
    },
  };
};

/**
 * Polls until the run that `eventId` started for `functionId` exists (or, with
 * `eventFilter`, the run of `functionId` whose event matches that JSON filter).
 */
export const runOf = async (
  db: PrismaClient,
  eventId: string,
  functionId: string,
  timeoutMs = 10_000,
  eventFilter?: { path: string[]; equals: string },
) => {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const run = await db.inngestRun.findFirst({ where: eventFilter ? { functionId, event: eventFilter } : { eventId, functionId } });
    if (run) return run;
    if (Date.now() > until) throw new Error(`no run of ${functionId} for event ${eventId}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};
