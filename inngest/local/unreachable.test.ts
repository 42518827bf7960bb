/**
 * An app that refuses connections (its process restarting) is waited for
 * without spending the run's attempts: found by the chaos run (npm run
 * perf:chaos), where a killed worker's restart used up a task run's attempts
 * and its onFailure handler's, and the task stayed "running" for good.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Inngest } from "inngest";
import { serve } from "inngest/node";
import { afterAll, expect, it } from "vitest";
import { db } from "~/server/db/client";
import { runOf, startExecutor } from "./testing/harness";

const quiet = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };
const options = { id: "unreachable", isDev: true, logger: quiet } as { id: string; isDev: boolean; logger: typeof quiet; baseUrl?: string };
const client = new Inngest(options);
const ran: string[] = [];
const once = client.createFunction({ id: "once", retries: 1, triggers: [{ event: "t/unreachable" }] }, async ({ event, step }) => {
  return step.run("work", () => (ran.push(String(event.data.k)), "done"));
});

const server = createServer(serve({ client, functions: [once] }));
const listen = (port = 0) => new Promise<number>((resolve) => server.listen(port, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
const closeApp = () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
let exec: Awaited<ReturnType<typeof startExecutor>> | undefined;

afterAll(async () => {
  await exec?.close();
  if (server.listening) await closeApp();
});

it("retries the same attempt while the app refuses connections, and completes once it is back", async () => {
  const port = await listen();
  exec = await startExecutor({ db, appUrls: [`http://127.0.0.1:${port}/api/inngest`] });
  options.baseUrl = exec.url;
  await closeApp();

  const k = Math.random().toString(36).slice(2, 10);
  const { ids } = await client.send({ name: "t/unreachable", data: { k } });
  const run = await runOf(db, ids[0]!, "unreachable-once");
  // Far longer than both attempts' backoff (harness: 40 ms, 80 ms): the old executor had failed the run by now.
  await new Promise((r) => setTimeout(r, 1_500));
  expect((await db.inngestRun.findUniqueOrThrow({ where: { id: run.id } })).status).not.toBe("FAILED");

  await listen(port);
  const done = await exec.executor.waitForRun(run.id);
  expect(done.status).toBe("COMPLETED");
  expect(done.output).toBe("done");
  expect(ran.filter((x) => x === k)).toHaveLength(1);
}, 30_000);
