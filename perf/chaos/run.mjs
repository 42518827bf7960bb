#!/usr/bin/env node
/**
 * `npm run perf:chaos`: faults under load (issue 14). While chat turns, board
 * meetings, tasks and uploads run (perf/chaos/traffic.mjs), one fault after
 * another:
 *
 *   postgres  the stack's own PostgreSQL crashes (pg_ctl stop -m immediate), stays down, restarts
 *   redis     the stack's own Redis is killed (SIGKILL), stays down, restarts
 *   worker    kill -9 the worker (the supervisor restarts it)
 *   web       kill -9 the web process group (npm start's script and `next start`; restarted)
 *   429       the mock provider answers 429 (Retry-After: 1) to every call
 *   500       … 500
 *   stall     … accepts the call and sends nothing until the client gives up
 *   drop      … streams 5 words, then destroys the socket
 *
 * Per fault: requests failed while it lasted (from injection until recovered),
 * time to recover (from the fault's end — the restart done, the kill sent, the
 * provider healthy again — until /api/health answers ok AND a chat turn begun
 * after the end has succeeded), what /api/health said meanwhile and after, and
 * acknowledged writes lost (perf/chaos/verify.mjs defines them).
 *
 *   npm run perf:chaos                 provider faults 30 s each, PostgreSQL/Redis down 10 s
 *   npm run perf:chaos -- --quick      provider faults 10 s each, PostgreSQL/Redis down 5 s
 *   npm run perf:chaos -- --only postgres,web   some faults
 *
 * The stack is perf:load's (perf/load/stack.mjs: `npm start`'s script, the
 * worker, the local executor), each under a restart-on-exit supervisor
 * (perf/chaos/supervise.mjs), against a PostgreSQL cluster and a Redis of its
 * own on private ports (perf/chaos/services.mjs) so they can be restarted.
 * Not the embedded default: there PGlite runs inside `npm start`'s own process,
 * so "kill its database" is the web fault, and nothing restarts it by itself.
 *
 * Writes docs/performance-chaos.md and its table into docs/performance-baseline.md
 * (perf/chaos/report.mjs); exits 1 when an acknowledged write was lost or the
 * stack did not recover from a fault.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildIsCurrent } from "../../scripts/lib/build-stamp.mjs";
import { startMockOpenAI } from "../../tests/support/mock-openai-server.ts";
import { boot, ROOT, seed, sleep } from "../load/stack.mjs";
import { CHAOS_REPORT, markSection, spliceFaultsSection } from "./report.mjs";
import { startPostgres, startRedis } from "./services.mjs";
import { supervisedStarter } from "./supervise.mjs";
import { startTraffic } from "./traffic.mjs";
import { verifyWrites } from "./verify.mjs";

const FAULTS = ["postgres", "redis", "worker", "web", "429", "500", "stall", "drop"];
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const onlyAt = args.indexOf("--only");
const only = onlyAt >= 0 ? args[onlyAt + 1].split(",").map((s) => s.trim()) : null;
if (only?.some((f) => !FAULTS.includes(f))) {
  console.error(`perf:chaos: --only takes some of ${FAULTS.join(", ")}`);
  process.exit(2);
}
const faults = only ? FAULTS.filter((f) => only.includes(f)) : FAULTS;
/** How long a provider fault lasts, and how long PostgreSQL or Redis stays down. */
const FAULT_MS = quick ? 10_000 : 30_000;
const DOWN_MS = quick ? 5_000 : 10_000;
/** A fault not recovered from within this long counts as not recovered (and the run goes on). */
const RECOVERY_LIMIT_MS = 180_000;
const SETTLE_MS = 5_000;
const DRAIN_MS = 300_000;
const WORKSPACES = 2;
const USERS = 4;
const RATES = { chatMs: 1_000, meetingMs: 6_000, taskMs: 6_000, uploadMs: 10_000 };
const MOCK = { ttftMs: 300, chunkMs: 33, reply: "Short answer: yes, if we stage it. Two engineers take the runway from 19 to 16 months at today's burn; hire one now and one after the renewal closes." };

const startedAt = new Date();
const loadBefore = os.loadavg();
const log = (msg) => console.log(`[perf:chaos ${new Date().toISOString().slice(11, 19)}] ${msg}`);
const git = (...a) => {
  try {
    return execFileSync("git", a, { cwd: ROOT, encoding: "utf8" }).trim();
  } catch {
    return "";
  }
};

const ensureBuild = () =>
  new Promise((resolve, reject) => {
    if (buildIsCurrent()) return resolve();
    log("building the app (no build, or the sources changed since the last one)");
    const child = spawn(process.execPath, ["scripts/build.mjs"], { cwd: ROOT, stdio: "inherit" });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`build exited ${code}`))));
  });

const trpcAs = (appUrl) => async (user, procedure, input) => {
  try {
    const res = await fetch(`${appUrl}/api/trpc/${procedure}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: appUrl, cookie: Object.entries(user.cookies).map(([k, v]) => `${k}=${v}`).join("; ") },
      body: JSON.stringify({ json: input }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    return res.ok ? { ok: true } : { ok: false, error: `HTTP ${res.status} ${text.slice(0, 200)}` };
  } catch (err) {
    return { ok: false, error: String(err) };
  }
};

/** Counts values: "degraded ×3, ok ×2". */
const tally = (values) => {
  const m = new Map();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m].map(([k, n]) => `${k} ×${n}`).join(", ") || "–";
};
const secs = (ms) => (ms === null ? "–" : `${(ms / 1000).toFixed(1)} s`);

const main = async () => {
  await ensureBuild();
  const work = mkdtempSync(path.join(os.tmpdir(), "ocsuite-chaos-"));
  const events = [];
  const procs = [];
  let postgres = null;
  let redis = null;
  let stack = null;
  const mock = await startMockOpenAI({ reply: MOCK.reply, timeToFirstTokenMs: MOCK.ttftMs, chunkDelayMs: MOCK.chunkMs });
  const control = async (b) => {
    const res = await fetch(`${mock.origin}/__mock/behaviour`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(b) });
    if (!res.ok) throw new Error(`mock control: HTTP ${res.status}`);
    await res.text();
  };
  const cleanup = async () => {
    if (stack) await stack.stop().catch(() => undefined);
    else for (const p of [...procs].reverse()) await p.stop().catch(() => undefined);
    await redis?.stop();
    await postgres?.stop();
    await mock.close();
  };
  process.once("SIGINT", () => void cleanup().finally(() => process.exit(130)));
  process.once("SIGTERM", () => void cleanup().finally(() => process.exit(130)));
  const rows = [];
  let traffic = null;
  let verification = null;
  try {
    postgres = await startPostgres(work);
    redis = await startRedis();
    log(`own services: ${postgres.version} on :${postgres.port}, ${redis.version} at ${redis.url}`);
    stack = await boot(work, procs, {
      adminUrl: postgres.url,
      redisUrl: redis.url,
      log,
      // A restart serves the build made before the run, as a deployment's would, even
      // when the working tree changes meanwhile (npm start would rebuild it otherwise).
      startArgs: ["--no-build"],
      start: supervisedStarter((name, what, at) => {
        events.push({ name, what, at });
        log(`supervisor: ${name} ${what}`);
      }),
    });
    const [web, worker] = [procs.find((p) => p.name === "web"), procs.find((p) => p.name === "worker")];
    log(`seeding ${WORKSPACES} workspaces × ${USERS} users`);
    const users = await seed(stack, mock, { workspaces: WORKSPACES, users: USERS });
    traffic = startTraffic({ appUrl: stack.appUrl, users, rates: RATES });
    log("steady traffic for 20 s before the first fault");
    await sleep(20_000);

    const inject = {
      postgres: () => postgres.restart(DOWN_MS),
      redis: () => redis.restart(DOWN_MS),
      worker: async () => worker.kill9(),
      web: async () => web.kill9(),
      429: async () => (await control({ rateLimitFirst: 1e9, retryAfterSeconds: 1 }), await sleep(FAULT_MS), await control({ rateLimitFirst: 0 })),
      500: async () => (await control({ fail500: true }), await sleep(FAULT_MS), await control({ fail500: false })),
      stall: async () => (await control({ stall: true }), await sleep(FAULT_MS), await control({ stall: false })),
      drop: async () => (await control({ dropAfterChunks: 5 }), await sleep(FAULT_MS), await control({ dropAfterChunks: null })),
    };
    const describe = {
      postgres: `PostgreSQL crash-restart (immediate stop, down ${DOWN_MS / 1000} s, start)`,
      redis: `Redis restart (SIGKILL, down ${DOWN_MS / 1000} s, start; no persistence)`,
      worker: "kill -9 the worker (supervisor restarts it)",
      web: "kill -9 the web process group (npm start's script + `next start`; supervisor restarts it)",
      429: `provider 429 + Retry-After: 1 on every call, ${FAULT_MS / 1000} s`,
      500: `provider 500 on every call, ${FAULT_MS / 1000} s`,
      stall: `provider stall (no bytes until the client gives up), ${FAULT_MS / 1000} s`,
      drop: `provider mid-stream drop (socket destroyed after 5 words), ${FAULT_MS / 1000} s`,
    };
    for (const key of faults) {
      const t0 = Date.now();
      log(`fault ${key}: ${describe[key]}`);
      await inject[key]();
      const t1 = Date.now();
      // Recovered: health ok after the end, and a chat turn begun after the end has succeeded.
      let healthOkAt = null;
      let chatOkAt = null;
      while (Date.now() - t1 < RECOVERY_LIMIT_MS && (healthOkAt === null || chatOkAt === null)) {
        healthOkAt ??= traffic.health.find((h) => h.t >= t1 && h.status === "ok")?.t ?? null;
        chatOkAt ??= traffic.requests.filter((r) => r.kind === "chat" && r.start >= t1 && r.ok).sort((a, b) => a.end - b.end)[0]?.end ?? null;
        await sleep(250);
      }
      const recoveredAt = healthOkAt !== null && chatOkAt !== null ? Math.max(healthOkAt, chatOkAt) : null;
      const windowEnd = recoveredAt ?? Date.now();
      const inWindow = traffic.requests.filter((r) => r.start >= t0 && r.start <= windowEnd);
      const failed = inWindow.filter((r) => r.end && !r.ok);
      await sleep(2_000);
      const after = traffic.health.filter((h) => h.t > windowEnd).at(-1);
      const restarts = events.filter((e) => e.at >= t0 && e.what === "restarted").map((e) => `${e.name} +${secs(e.at - t0)}`);
      rows.push({
        key,
        what: describe[key],
        t0,
        t1,
        windowEnd,
        recoverMs: recoveredAt === null ? null : recoveredAt - t1,
        healthDuring: tally(traffic.health.filter((h) => h.t >= t0 && h.t <= windowEnd).map((h) => (h.code ? `${h.status} (${h.code})` : h.status))),
        healthAfter: after ? (after.code ? `${after.status} (${after.code})` : after.status) : "–",
        restarts,
      });
      log(`fault ${key}: ${failed.length}/${inWindow.length} requests failed so far; ${recoveredAt === null ? "NOT recovered" : `recovered ${secs(recoveredAt - t1)} after its end`}; health after: ${rows.at(-1).healthAfter}`);
      await sleep(SETTLE_MS);
    }
    log("faults done: stopping the traffic (waiting for the requests in flight)");
    await traffic.stop();
    log("checking every acknowledged write (draining jobs, resuming failed ones)");
    verification = await verifyWrites({ databaseUrl: stack.databaseUrl, writes: traffic.writes, users, trpc: trpcAs(stack.appUrl), drainMs: DRAIN_MS, log });
  } catch (err) {
    for (const p of procs) console.error(`--- ${p.name} output ---\n${(p.allOutput?.() ?? p.output()).slice(-3000)}`);
    if (postgres) console.error(`--- postgres log ---\n${postgres.log()}`);
    throw err;
  } finally {
    if (process.env.PERF_CHAOS_KEEP_LOGS) for (const p of procs) writeFileSync(path.join(os.tmpdir(), `chaos-${p.name}.log`), p.allOutput?.() ?? p.output());
    await cleanup();
    rmSync(work, { recursive: true, force: true });
  }
  return writeReport({ rows, verification, traffic, stackText: stack.stack, versions: { pg: postgres.version, redis: redis.version } });
};

const writeReport = ({ rows, verification, traffic, stackText, versions }) => {
  const { result, summary } = verification;
  // Failures counted now that every request has ended (a stalled turn fails only when its timeout fires).
  for (const r of rows) {
    const inWindow = traffic.requests.filter((q) => q.start >= r.t0 && q.start <= r.windowEnd);
    const failed = inWindow.filter((q) => !q.ok);
    Object.assign(r, { total: inWindow.length, failed: failed.length, reasons: tally(failed.map((q) => `${q.kind}: ${q.error ?? "unfinished"}`)) });
  }
  const writes = [...result.entries()];
  // A write belongs to the fault during whose segment (its start to the next fault's start) it was acknowledged.
  const segmentOf = (w) => rows.findLast((r) => w.at >= r.t0)?.key ?? "before";
  const lostIn = (key) => writes.filter(([w, v]) => v.lost && segmentOf(w) === key);
  const ackIn = (key) => writes.filter(([w]) => segmentOf(w) === key);
  const lost = writes.filter(([, v]) => v.lost);
  const notRecovered = rows.filter((r) => r.recoverMs === null);
  const pass = lost.length === 0 && notRecovered.length === 0;
  const count = (k) => writes.filter(([w]) => w.kind === k).length;
  const resumedOk = (k) => writes.filter(([w, v]) => w.kind === k && v.resumed && !v.lost).length;
  const [l1, l5, l15] = loadBefore.map((x) => x.toFixed(2));
  const dirty = git("status", "--porcelain").split("\n").filter(Boolean).length;
  const section = [
    "## Faults under load",
    "",
    `- **Result: ${pass ? "PASS" : "FAIL"}** — ${lost.length} acknowledged write(s) lost; ${notRecovered.length} fault(s) not recovered from within ${RECOVERY_LIMIT_MS / 1000} s.`,
    `- Date: ${startedAt.toISOString()}; commit \`${git("rev-parse", "--short", "HEAD") || "unknown"}\`${dirty ? ` (plus ${dirty} uncommitted change${dirty === 1 ? "" : "s"})` : ""}; command \`npm run perf:chaos${args.length ? ` -- ${args.join(" ")}` : ""}\`${quick ? ` (**--quick**: provider faults last ${FAULT_MS / 1000} s instead of 30 s, PostgreSQL and Redis stay down ${DOWN_MS / 1000} s instead of 10 s)` : ""}.`,
    `- Machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; load average before ${l1} / ${l5} / ${l15}; everything (app, ${versions.pg}, ${versions.redis}, mock provider, traffic) on this machine.`,
    `- Stack: ${stackText}; web, worker and executor each under a restart-on-exit supervisor (perf/chaos/supervise.mjs); PostgreSQL and Redis are the run's own, on private ports. Mock provider: ${MOCK.ttftMs} ms to the first token, a word every ${MOCK.chunkMs} ms.`,
    `- Traffic (perf/chaos/traffic.mjs, arrivals on a clock): a chat turn every ${RATES.chatMs / 1000} s (streaming route, new conversation), a meeting every ${RATES.meetingMs / 1000} s, a task every ${RATES.taskMs / 1000} s, an upload every ${RATES.uploadMs / 1000} s, /api/health every second; ${WORKSPACES} workspaces × ${USERS} users. ${traffic.requests.length} requests in all.`,
    "",
    "| fault | requests failed while it lasted | time to recover | /api/health during | /api/health after | acknowledged writes (lost) | restarts | failures |",
    "|---|---|---|---|---|---|---|---|",
    ...rows.map((r) => `| ${r.what} | ${r.failed} of ${r.total} | ${r.recoverMs === null ? "**not recovered**" : secs(r.recoverMs)} | ${r.healthDuring} | ${r.healthAfter} | ${ackIn(r.key).length} (${lostIn(r.key).length ? `**${lostIn(r.key).length}**` : "0"}) | ${r.restarts.join(", ") || "–"} | ${r.reasons} |`),
    "",
    `Acknowledged writes: ${count("message")} user messages, ${count("meeting")} meetings, ${count("task")} tasks, ${count("document")} uploads (${ackIn("before").length} of them before the first fault). Lost: **${lost.length}**.`,
    `Failed by a fault, then resumed once the faults were over and completed: ${resumedOk("meeting")} meeting(s) (meeting.resume), ${resumedOk("task")} task(s) (task.retry).${summary.resumeRefused.length ? ` Resume refused: ${summary.resumeRefused.join("; ")}.` : ""}`,
    `Assistant answers left \`streaming\` by a killed process: ${summary.interruptedAnswers} (not a lost write: the user message exists; the next turn in that conversation marks it failed, streamInterrupted).`,
    ...(lost.length ? ["", "Lost writes:", "", ...lost.slice(0, 30).map(([w, v]) => `- ${w.kind} ${w.id} (acknowledged ${new Date(w.at).toISOString()}, during ${segmentOf(w)}): ${v.state}`)] : []),
    "",
    "How to read it:",
    "",
    "- *Requests failed while it lasted*: chat turns, creates and uploads begun between the injection and the recovery that did not succeed (a chat turn succeeds when its `done` line arrives); health polls not counted.",
    "- *Time to recover*: from the fault's end (the database or Redis started again, the kill sent, the provider healthy again) until `/api/health` answered ok and a chat turn begun after the end had succeeded.",
    "- *Acknowledged writes*: a user message whose turn's `start` line arrived; a meeting or task that `*.create` answered with an id; an upload answered 201. Counted under the fault in whose segment (its start to the next fault's start) it was acknowledged. *Lost*: the message is missing; the meeting or task is missing, never settled (still queued or running 5 minutes after the traffic stopped), or failed and then did not complete when resumed (meeting.resume / task.retry); the document is missing or still queued or processing.",
    "- `/api/health` checks the database and Redis only: it is expected to say ok through worker and provider faults, and to be unreachable while the web process is down.",
  ];
  const lines = [
    "# Faults under load",
    "",
    "Written by `npm run perf:chaos` (perf/chaos/run.mjs); do not edit by hand. The section below is also copied into docs/performance-baseline.md.",
    "",
    ...markSection(section),
    "",
  ];
  writeFileSync(CHAOS_REPORT, lines.join("\n"));
  spliceFaultsSection(path.join(ROOT, "docs/performance-baseline.md"));
  log(`${pass ? "PASS" : "FAIL"}: ${lost.length} acknowledged writes lost; report in docs/performance-chaos.md (and its table in docs/performance-baseline.md)`);
  return pass;
};

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (err) => {
    console.error(`[perf:chaos] ${err.stack ?? err}`);
    process.exit(1);
  },
);
