/**
 * Child process for crash.test.ts: serves a real SDK function and runs the
 * executor against it, both in this process, so SIGKILL takes down the
 * executor mid-step. Side effects are counted in Postgres (JobHeartbeat rows)
 * so they survive the process.
 * Env: DATABASE_URL, APP_PORT, EXEC_PORT, LEASE_MS, SLOW_MS.
 */
import { createServer } from "node:http";
import { Inngest } from "inngest";
import { serve } from "inngest/node";
import { createExecutorDb } from "../db";
import { createLocalExecutor } from "../executor";
import { createExecutorServer } from "../http";

const env = process.env;
const db = createExecutorDb(env.DATABASE_URL!);
const bump = (pingId: string) =>
  db.jobHeartbeat.upsert({ where: { pingId }, create: { pingId, beats: 1 }, update: { beats: { increment: 1 } } });

const client = new Inngest({ id: "crash", isDev: true, baseUrl: `http://127.0.0.1:${env.EXEC_PORT}` });
const crashy = client.createFunction({ id: "crashy", triggers: [{ event: "t/crash" }] }, async ({ event, step }) => {
  const k = String(event.data.k);
  await step.run("effect", async () => (await bump(`${k}:effect`)).beats);
  await step.run("slow", async () => {
    await bump(`${k}:slow`);
    await new Promise((r) => setTimeout(r, Number(env.SLOW_MS ?? 100)));
  });
  await step.run("after", async () => (await bump(`${k}:after`)).beats);
  return "done";
});

const app = createServer(serve({ client, functions: [crashy] }));
await new Promise<void>((r) => app.listen(Number(env.APP_PORT), "127.0.0.1", r));
const executor = createLocalExecutor({ db, leaseMs: Number(env.LEASE_MS ?? 1000), pollIntervalMs: 20, backoff: () => 50 });
const intake = createExecutorServer(executor, { db });
await new Promise<void>((r) => intake.listen(Number(env.EXEC_PORT), "127.0.0.1", r));
await executor.start();
await executor.sync(`http://127.0.0.1:${env.APP_PORT}/api/inngest`);
process.stdout.write("READY\n");
