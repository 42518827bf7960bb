#!/usr/bin/env node
// Local executor overhead (ADR 0007). Run from the repo root:
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/<fresh migrated db> \
//     node --import tsx perf/executor-overhead.mjs [runs=200] [burst=1000]
// 1. Per-step overhead: median wall time of a 5-step function run through the
//    executor (real HTTP + Postgres) vs calling the same 5 step bodies directly,
//    divided by 5.
// 2. Queue wait under a burst: N events sent at once to a 1-step function;
//    queue wait = run start (first call) − event ts; p50/p95/max.
import { createServer } from "node:http";
import { Inngest } from "inngest";
import { serve } from "inngest/node";
import { createExecutorDb } from "../inngest/local/db.ts";
import { createLocalExecutor } from "../inngest/local/executor.ts";
import { createExecutorServer } from "../inngest/local/http.ts";
import { median } from "./lib/bench.mjs";

const RUNS = Number(process.argv[2] ?? 200);
const BURST = Number(process.argv[3] ?? 1000);
const db = createExecutorDb(process.env.DATABASE_URL, 20);
const listen = (srv) => new Promise((r) => srv.listen(0, "127.0.0.1", () => r(srv.address().port)));
const quiet = { info() {}, warn() {}, error() {}, debug() {} };

const work = (i) => i * 2; // the step bodies: trivial, so the figures are pure overhead
const client = new Inngest({ id: "perf", isDev: true, logger: quiet });
const fiveSteps = client.createFunction({ id: "five-steps", triggers: [{ event: "perf/five" }] }, async ({ step }) => {
  let v = 1;
  for (let i = 0; i < 5; i++) v = await step.run(`s${i}`, () => work(v));
  return v;
});
const oneStep = client.createFunction({ id: "one-step", triggers: [{ event: "perf/one" }] }, async ({ step }) =>
  step.run("only", () => Date.now()),
);
const appPort = await listen(createServer(serve({ client, functions: [fiveSteps, oneStep] })));
const executor = createLocalExecutor({ db, pollIntervalMs: 10, maxInFlight: 32 });
const execPort = await listen(createExecutorServer(executor, { db }));
client.setEnvVars({ INNGEST_BASE_URL: `http://127.0.0.1:${execPort}` });
await executor.start();
await executor.sync(`http://127.0.0.1:${appPort}/api/inngest`);

const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

// 1. per-step overhead (runs one at a time)
const viaExecutor = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  const [id] = await executor.send({ name: "perf/five", data: { i } });
  let run;
  while (!(run = await db.inngestRun.findFirst({ where: { eventId: id } }))) await new Promise((r) => setTimeout(r, 1));
  await executor.waitForRun(run.id);
  viaExecutor.push(performance.now() - t0);
}
const direct = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  let v = 1;
  for (let s = 0; s < 5; s++) v = await Promise.resolve(work(v));
  direct.push(performance.now() - t0);
}
const perStep = (median(viaExecutor) - median(direct)) / 5;
console.log(`5-step run via executor: median ${median(viaExecutor).toFixed(1)} ms (n=${RUNS}); direct: ${median(direct).toFixed(4)} ms`);
console.log(`per-step overhead: ${perStep.toFixed(1)} ms`);

// 2. queue wait under a burst
const t0 = Date.now();
await Promise.all(Array.from({ length: BURST }, (_, i) => executor.send({ name: "perf/one", data: { i } })));
const sent = Date.now() - t0;
for (;;) {
  const left = await db.inngestRun.count({ where: { functionId: "perf-one-step", status: { notIn: ["COMPLETED", "FAILED"] } } });
  if (!left) break;
  await new Promise((r) => setTimeout(r, 100));
}
const runs = await db.inngestRun.findMany({ where: { functionId: "perf-one-step" }, select: { startedAt: true, finishedAt: true, event: true } });
const waits = runs.map((r) => r.startedAt.getTime() - r.event.ts);
const drained = Math.max(...runs.map((r) => r.finishedAt.getTime())) - t0;
console.log(`burst of ${BURST}: intake ${sent} ms; all done after ${drained} ms (${((BURST / drained) * 1000).toFixed(0)} runs/s)`);
console.log(`queue wait: p50 ${pct(waits, 0.5)} ms, p95 ${pct(waits, 0.95)} ms, max ${Math.max(...waits)} ms`);
await executor.stop();
await db.$disconnect();
process.exit(0);
