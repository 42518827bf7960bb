#!/usr/bin/env node
// Board meeting wall time in the embedded default (issue 6). Run from the repo root:
//   PERF_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
//     node --conditions=react-server --import tsx perf/meeting-wall-time.mjs [runs=3]
//   node --conditions=react-server --import tsx perf/meeting-wall-time.mjs [runs=3] --pglite
// A fresh database is created on that server, migrated with the real CLI and
// dropped at the end; with --pglite, a fresh PGlite in a temporary folder behind
// our TCP server (scripts/lib/pglite-server.mjs), exactly as `npm start` runs it. Set-up as `npm start` without provider keys: the app's
// real run-meeting function served over HTTP (inngest/node), the local executor
// (inngest/local, default 100 ms poll) on the same Postgres, the offline model.
// Each run: a 3-item, 4-persona, 1-round meeting created through the real
// service (createMeeting → meeting/run.requested), timed until the meeting row
// is `completed` (12 turns + 3 chair closes + start + finish = 17 steps).
// Per-turn overhead outside the model, two ways:
//   in-step    the turn step's own wall time (context, retrieval, persona
//              resolution, storage) minus the gateway's durationMs;
//   end-to-end the gap between consecutive turns' stored times minus the later
//              turn's model time: adds the engine's scheduling and the SDK's
//              re-entry (memoised steps replayed) between steps.
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrate, requireServerUrl, scratchDatabase } from "./lib/bench.mjs";

const args = process.argv.slice(2);
const usePglite = args.includes("--pglite");
const RUNS = Number(args.find((a) => /^\d+$/.test(a)) ?? 3);
if (!usePglite) requireServerUrl();
let scratch;
let pglite;
let pgServer;
let pgDir;
let databaseUrl;
if (usePglite) {
  const { createPglite, startPgliteServer } = await import("../scripts/lib/pglite-server.mjs");
  pgDir = mkdtempSync(path.join(os.tmpdir(), "ocsuite-perf-meeting-pg-"));
  pglite = await createPglite({ dataDir: pgDir });
  pgServer = await startPgliteServer({ db: pglite, host: "127.0.0.1", port: 0, maxConnections: 100 });
  databaseUrl = `postgres://postgres:postgres@127.0.0.1:${pgServer.port}/postgres`;
} else {
  scratch = await scratchDatabase("meeting");
  databaseUrl = scratch.url;
}

const listen = (srv) => new Promise((r) => srv.listen(0, "127.0.0.1", () => r(srv.address().port)));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const stepData = (d) => (d && typeof d === "object" && "data" in d && !("wallMs" in d) ? d.data : d);

let db;
let executor;
let appServer;
let execServer;
try {
  if (usePglite) await migrate(databaseUrl);
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: "perf-secret-0123456789abcdefghijklmnopqrstuvwxyz",
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
    EMBEDDINGS_PROVIDER: "none",
  });
  // The executor first: the app's client reads INNGEST_DEV (its URL) when it is imported, as under `npm start`.
  const { createExecutorDb } = await import("../inngest/local/db.ts");
  const { createLocalExecutor } = await import("../inngest/local/executor.ts");
  const { createExecutorServer } = await import("../inngest/local/http.ts");
  const execDb = createExecutorDb(databaseUrl);
  // The embedded default's settings (inngest/local/main.ts): default poll interval and lease.
  executor = createLocalExecutor({ db: execDb, logger: { info() {}, warn() {}, error() {} } });
  execServer = createExecutorServer(executor, { db: execDb });
  const execPort = await listen(execServer);
  process.env.INNGEST_DEV = `http://127.0.0.1:${execPort}`;

  ({ db } = await import("../src/server/db/client.ts"));
  const { inngest } = await import("../src/server/events/client.ts");
  const { runMeeting } = await import("../inngest/jobs/run-meeting.ts");
  const { createMeeting } = await import("../src/server/services/meetings/meetings.ts");
  const { serve } = await import("inngest/node");
  appServer = createServer(serve({ client: inngest, functions: [runMeeting] }));
  const appPort = await listen(appServer);
  await executor.start();
  await executor.sync(`http://127.0.0.1:${appPort}/api/inngest`);

  const tenant = await db.tenant.create({ data: { slug: `perf-${randomBytes(3).toString("hex")}`, name: "Perf Robotics", industry: "Robotics" } });
  const user = await db.user.create({ data: { email: `perf-${randomBytes(3).toString("hex")}@example.test`, name: "Perf" } });
  await db.membership.create({ data: { tenantId: tenant.id, userId: user.id, role: "MEMBER" } });
  const ctx = { tenantId: tenant.id, tenantSlug: tenant.slug, role: "MEMBER", userId: user.id, isPlatformAdmin: false, meta: {} };
  const input = {
    title: "Quarterly board",
    goal: "Agree the priorities for next quarter.",
    agenda: ["Premium tier pricing", "Hiring plan for support", "Data residency for EU customers"],
    personaKeys: ["ceo", "cfo", "cto", "general-counsel"],
    chairKey: "ceo",
    rounds: 1,
  };

  const rows = [];
  // One warm-up meeting (module loading, JIT, connection pools), not counted.
  for (let i = 0; i <= RUNS; i++) {
    const t0 = performance.now();
    const { id } = await createMeeting(ctx, input);
    let m;
    for (;;) {
      m = await db.meeting.findUnique({ where: { id } });
      if (["completed", "failed", "cancelled"].includes(m.status)) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const wallMs = performance.now() - t0;
    if (m.status !== "completed") throw new Error(`meeting ended ${m.status} (${m.errorReason})`);
    const turns = await db.meetingTurn.findMany({ where: { meetingId: id }, orderBy: { createdAt: "asc" } });
    if (turns.length !== 12) throw new Error(`expected 12 turns, got ${turns.length}`);
    const runRow = await db.inngestRun.findFirst({ where: { functionId: "ocsuite-run-meeting", event: { path: ["data", "meetingId"], equals: id } } });
    const steps = await db.inngestStep.findMany({ where: { runId: runRow.id } });
    const turnSteps = steps.map((s) => ({ name: s.name, d: stepData(s.data) })).filter((s) => s.name?.startsWith("turn-") && s.d?.status === "stored");
    const inStep = turnSteps.map((s) => s.d.wallMs - s.d.modelMs);
    const model = turns.map((t) => t.durationMs);
    const e2e = turns.slice(1).map((t, k) => t.createdAt.getTime() - turns[k].createdAt.getTime() - t.durationMs);
    if (i > 0) rows.push({ wallMs, inStep: median(inStep), e2e: median(e2e), model: median(model), steps: steps.length });
    console.log(`${i === 0 ? "warm-up" : `run ${i}`}: wall ${wallMs.toFixed(0)} ms; turn overhead in-step median ${median(inStep).toFixed(1)} ms, end-to-end median ${median(e2e).toFixed(1)} ms; model median ${median(model)} ms; steps ${steps.length}`);
  }
  console.log(
    `median of ${RUNS}: wall ${median(rows.map((r) => r.wallMs)).toFixed(0)} ms; per-turn overhead outside the model: in-step ${median(rows.map((r) => r.inStep)).toFixed(1)} ms, end-to-end ${median(rows.map((r) => r.e2e)).toFixed(1)} ms; offline model per turn ${median(rows.map((r) => r.model))} ms`,
  );
} finally {
  await executor?.stop().catch(() => {});
  appServer?.closeAllConnections();
  appServer?.close();
  execServer?.closeAllConnections?.();
  execServer?.close();
  await db?.$disconnect().catch(() => {});
  await scratch?.drop().catch((e) => console.error("drop failed", e.message));
  if (pgServer) await pgServer.stop().catch(() => {});
  if (pglite) await pglite.close().catch(() => {});
  if (pgDir) rmSync(pgDir, { recursive: true, force: true });
}
process.exit(0);
