#!/usr/bin/env node
/**
 * `npm run perf:load`: the load tests (issue 14, acceptance criterion 3) and the
 * performance baseline report, docs/performance-baseline.md.
 *
 *   npm run perf:load                      PostgreSQL + Redis (production topology), full phases
 *   npm run perf:load -- --quick           short phases (~1 minute per scenario)
 *   npm run perf:load -- --embedded        the embedded default (npm start: PGlite, no Redis)
 *   npm run perf:load -- --only chat,reads some scenarios; the report then goes to a temporary file
 *
 * Env: PERF_DATABASE_URL (a PostgreSQL server where a fresh database is created
 * and dropped; default postgres://postgres@127.0.0.1:5432/postgres), PERF_REDIS_URL
 * (default redis://127.0.0.1:6379), PERF_LOAD_WORKSPACES (4), PERF_LOAD_USERS (8 per
 * workspace), PERF_LOAD_KEEP=1 (keep the artillery JSON reports and process logs).
 *
 * What it does, in order:
 *  1. installs perf/'s own dependencies (artillery 2) when missing, and builds
 *     the app when the build is missing or older than the sources;
 *  2. starts a mock OpenAI-compatible provider with a realistic latency (300 ms
 *     to the first token, then ~30 tokens/s: one word every 33 ms);
 *  3. boots the production build as it runs in production, each a process:
 *     the web app (`npm start`'s script against a fresh PostgreSQL database and
 *     Redis), the worker (scripts/worker.ts, serving the Inngest functions) and
 *     the local Inngest executor synced to the worker. With --embedded: `npm
 *     start` alone, as a self-hosting user runs it (PGlite in a temporary data
 *     folder, its own executor calling the web process; no worker, no Redis);
 *  4. seeds PERF_LOAD_WORKSPACES workspaces of PERF_LOAD_USERS users: accounts
 *     written to the database (verified, as the demo seed writes them); each
 *     owner signs in over HTTP, creates the workspace (tenant.create), adds the
 *     mock as the workspace's provider key (provider.create) and uploads 3
 *     documents; members join by a Membership row (the invitation flow needs
 *     mail). Every user signs in once through the real sign-in endpoint; the
 *     session cookies go to the virtual users (perf/load/processor.mjs);
 *  5. runs perf/load/{knowledge,chat,meetings,tasks,reads}.yml one after the
 *     other with artillery (--output JSON), and evaluates each file's `ensure`
 *     checks on the JSON with artillery's own ensure plugin;
 *  6. writes docs/performance-baseline.md (target vs actual per check, the
 *     figures per metric, machine, commit, date, command) and exits 1 when a
 *     gating check fails or a scenario could not run.
 */
import { execFileSync, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseDocument } from "yaml";
import { buildIsCurrent } from "../../scripts/lib/build-stamp.mjs";
import { startMockOpenAI } from "../../tests/support/mock-openai-server.ts";
import { faultsSection } from "../chaos/report.mjs";
import { boot, ROOT, seed } from "./stack.mjs";

const PERF = path.join(ROOT, "perf");
const LOAD = path.join(PERF, "load");
const REPORT = path.join(ROOT, "docs/performance-baseline.md");
const SCENARIOS = ["knowledge", "chat", "meetings", "tasks", "reads"];

const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const embedded = flag("embedded");
const quick = flag("quick");
const only = option("only")?.split(",").map((s) => s.trim()).filter(Boolean);
if (only?.some((s) => !SCENARIOS.includes(s))) {
  console.error(`perf:load: --only takes some of ${SCENARIOS.join(", ")}`);
  process.exit(2);
}
const scenarios = only ? SCENARIOS.filter((s) => only.includes(s)) : SCENARIOS;
const WORKSPACES = Number(process.env.PERF_LOAD_WORKSPACES ?? 4);
const USERS = Number(process.env.PERF_LOAD_USERS ?? 8);
/** The mock provider: 300 ms to the first token, then one word (≈ a token) every 33 ms ≈ 30 tokens/s. */
const MOCK = { ttftMs: 300, chunkMs: 33 };
const REPLY = (
  "Short answer: yes, if we stage it. Two engineers add about 38 thousand a month, which takes the runway " +
  "from 19 to 16 months at today's burn. If revenue keeps growing 4 percent a month we are back to 18 months " +
  "by the autumn. I would hire one now and one after the renewal closes, keeping a year of cash."
).trim();
const REPLY_CHUNKS = REPLY.match(/\s*\S+/g).length;

const startedAt = new Date();
const loadBefore = os.loadavg();
const log = (msg) => console.log(`[perf:load ${new Date().toISOString().slice(11, 19)}] ${msg}`);
const git = (...a) => {
  try {
    return execFileSync("git", a, { cwd: ROOT, encoding: "utf8" }).trim();
  } catch {
    return "";
  }
};
const exec = (cmd, a, opts = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn(cmd, a, { cwd: ROOT, stdio: "inherit", ...opts });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${a.join(" ")} exited ${code}`))));
  });

// ─── 1. tools and build ──────────────────────────────────────────────────────

const artilleryBin = path.join(PERF, "node_modules/.bin/artillery");
const prepare = async () => {
  if (!existsSync(artilleryBin)) {
    log("installing perf/'s dependencies (artillery 2, ~590 MB): npm ci --prefix perf");
    await exec("npm", ["ci", "--prefix", "perf", "--no-audit", "--no-fund"], { env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: "1" } });
  }
  if (!buildIsCurrent()) {
    log("building the app (no build, or the sources changed since the last one)");
    await exec(process.execPath, ["scripts/build.mjs"]);
  }
};

// ─── 2–4. mock provider, database, processes, seed: perf/load/stack.mjs ────────

// ─── 5. scenarios ────────────────────────────────────────────────────────────

const runScenario = async (name, { appUrl, work, sessionsFile }) => {
  const output = path.join(work, `${name}.json`);
  const logFile = path.join(work, `${name}.log`);
  const a = ["run", "--target", appUrl, "--output", output, ...(quick ? ["--environment", "quick"] : []), path.join(LOAD, `${name}.yml`)];
  const env = {
    ...process.env,
    PERF_LOAD_SESSIONS: sessionsFile,
    PERF_LOAD_MOCK_TTFT_MS: String(MOCK.ttftMs),
    PERF_LOAD_MOCK_CHUNKS: String(REPLY_CHUNKS),
    PERF_LOAD_MOCK_CHUNK_MS: String(MOCK.chunkMs),
    ARTILLERY_DISABLE_TELEMETRY: "true",
  };
  const load = os.loadavg();
  const t0 = Date.now();
  const code = await new Promise((resolve) => {
    const child = spawn(artilleryBin, a, { cwd: LOAD, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const keep = (d) => {
      out += d;
      if (process.env.PERF_LOAD_VERBOSE) process.stdout.write(d);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("error", (err) => ((out += String(err)), resolve(-1)));
    child.on("exit", (c) => {
      writeFileSync(logFile, out);
      resolve(c ?? -1);
    });
  });
  const report = existsSync(output) ? JSON.parse(readFileSync(output, "utf8")) : null;
  return { name, code, report, logFile, loadBefore: load, seconds: (Date.now() - t0) / 1000 };
};

/** The `ensure` checks of a scenario file (config.plugins.ensure), each with the comment above it, and its phases. */
const ensureOf = (name) => {
  const doc = parseDocument(readFileSync(path.join(LOAD, `${name}.yml`), "utf8"));
  const config = doc.toJS().config;
  const at = ["config", "plugins", "ensure"];
  const text = (comment) => (comment ?? "").split("\n").map((l) => l.trim()).join(" ").trim();
  // yaml attaches the comment above a list's first item to the list itself.
  const why = (kind) => {
    const seq = doc.getIn([...at, kind]);
    return (seq?.items ?? []).map((item, i) => text(item.commentBefore) || (i === 0 ? text(seq.commentBefore) : ""));
  };
  const maxErrorRate = doc.getIn(at)?.items?.find((p) => p.key?.value === "maxErrorRate");
  const phases = (quick && config.environments?.quick?.phases) || config.phases;
  return {
    ensure: config.plugins.ensure,
    why: { thresholds: why("thresholds"), conditions: why("conditions"), maxErrorRate: text(maxErrorRate?.key?.commentBefore) || "Failed flows (virtual users), % of those started." },
    phases,
  };
};

/** artillery's own ensure plugin, evaluated on the JSON report's aggregate. */
const loadEnsure = async () => {
  const pluginPath = path.join(PERF, "node_modules/artillery/dist/builtin-packages/artillery-plugin-ensure/dist/plugin.js");
  const { Plugin } = await import(pathToFileURL(pluginPath).href);
  globalThis.artillery ??= { log: () => undefined };
  return (ensure, aggregate) => {
    const vars = Plugin.statsToVars({ report: aggregate });
    return Plugin.runChecks(ensure, vars).map((c) => ({ expression: c.original, strict: c.strict, ok: c.result === 1 || c.result === true }));
  };
};

// ─── 6. report ───────────────────────────────────────────────────────────────

const n = (v, digits = 0) => (v === undefined || v === null || Number.isNaN(v) ? "–" : Number(v).toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits }));

/** The names an expression refers to, with their values in the aggregate. */
const actualsOf = (expression, aggregate) => {
  const values = { ...aggregate.counters, ...aggregate.rates };
  for (const [name, s] of Object.entries(aggregate.summaries ?? {})) for (const [k, v] of Object.entries(s)) values[`${name}.${k}`] = v;
  const names = Object.keys(values).sort((x, y) => y.length - x.length);
  const found = [];
  let rest = expression;
  for (const name of names) {
    if (rest.includes(name)) {
      found.push(name);
      rest = rest.split(name).join(" ");
    }
  }
  const missing = expression.match(/[a-z_][\w-]*(\.[\w-]+)+/gi)?.filter((m) => rest.includes(m)) ?? [];
  return [...found.map((f) => `${f} = ${n(values[f], Number.isInteger(values[f]) ? 0 : 1)}`), ...missing.map((m) => `${m}: no data`)].join("; ");
};

/** maxErrorRate as the ensure plugin computes it: (vusers.created − vusers.completed) / vusers.created, in %. */
const failedFlows = (a) => {
  const created = a.counters?.["vusers.created"] ?? 0;
  const completed = a.counters?.["vusers.completed"] ?? 0;
  return `${n(created - completed)} of ${n(created)} flows failed = ${n(created ? (100 * (created - completed)) / created : 0, 2)} %`;
};

const durationOf = (aggregate) => Math.max(1, (aggregate.lastMetricAt - aggregate.firstMetricAt) / 1000);

const throughputs = (name, a) => {
  const c = a.counters ?? {};
  const s = durationOf(a);
  const rows = [[`HTTP requests/s (artillery-made)`, (c["http.requests"] ?? 0) / s]];
  if (name === "chat") rows.push(["chat turns completed/s", (c["chat.turns.completed"] ?? 0) / s]);
  if (name === "meetings") rows.push(["meetings completed/min", (60 * (c["meeting.completed"] ?? 0)) / s], ["meeting turns/s (model calls: persona turns + chair closes)", (c["meeting.turns"] ?? 0) / s]);
  if (name === "tasks") rows.push(["tasks to review/min", (60 * (c["task.needs_review"] ?? 0)) / s]);
  if (name === "knowledge") rows.push(["documents ready/min", (60 * (c["knowledge.ready"] ?? 0)) / s], ["pages ready/s", (c["knowledge.pages"] ?? 0) / s]);
  return rows.map(([label, v]) => `| ${label} | ${n(v, 2)} |`);
};

const METRIC_ORDER = ["chat.ttft", "chat.full_answer", "meeting.", "task.", "knowledge.", "http.response_time", "plugins.metrics-by-endpoint.response_time.", "vusers.session_length"];
const metricRows = (a) =>
  Object.entries(a.summaries ?? {})
    .filter(([k]) => METRIC_ORDER.some((p) => k.startsWith(p)) && !/^http\.response_time\./.test(k))
    .sort(([x], [y]) => METRIC_ORDER.findIndex((p) => x.startsWith(p)) - METRIC_ORDER.findIndex((p) => y.startsWith(p)) || x.localeCompare(y))
    .map(([k, s]) => {
      const label = k.replace("plugins.metrics-by-endpoint.response_time.", "endpoint ");
      const pct = k.endsWith("pct_of_model_floor");
      return `| ${label}${pct ? " (%)" : " (ms)"} | ${n(s.count)} | ${n(s.p50)} | ${n(s.p95)} | ${n(s.p99)} | ${n(s.max)} |`;
    });

const errorRows = (a) => {
  const c = a.counters ?? {};
  const interesting = Object.entries(c).filter(([k, v]) => v > 0 && (k.startsWith("errors.") || /^http\.codes\.[45]/.test(k) || k === "vusers.failed" || /\.(failed|timed_out|duplicate)$/.test(k) || /^api\.errors/.test(k)));
  return interesting.length ? interesting.map(([k, v]) => `| ${k} | ${n(v)} |`) : ["| (none) | 0 |"];
};

const phaseText = (phases) =>
  phases
    .map((p) => `${p.name} ${p.duration} s at ${p.arrivalCount !== undefined ? `${p.arrivalCount} arrival${p.arrivalCount === 1 ? "" : "s"}` : p.rampTo !== undefined ? `${p.arrivalRate}→${p.rampTo}/s` : `${p.arrivalRate}/s`}`)
    .join(", ");

const commandLine = () => {
  const env = ["PERF_DATABASE_URL", "PERF_REDIS_URL", "PERF_LOAD_WORKSPACES", "PERF_LOAD_USERS"].filter((k) => process.env[k]).map((k) => `${k}=${process.env[k]}`);
  const cmd = process.env.npm_lifecycle_event === "perf:load" ? `npm run perf:load${args.length ? ` -- ${args.join(" ")}` : ""}` : `node --conditions=react-server --import tsx perf/load/run.mjs ${args.join(" ")}`.trim();
  return [...env, cmd].join(" ");
};

const writeReport = (file, ctx) => {
  const { results, stack, versions } = ctx;
  const gating = results.flatMap((r) => r.checks.filter((c) => c.strict));
  const failedGating = gating.filter((c) => !c.ok);
  const broken = results.filter((r) => !r.report);
  const pass = failedGating.length === 0 && broken.length === 0;
  const [l1, l5, l15] = loadBefore.map((x) => x.toFixed(2));
  const cores = os.cpus().length;
  const busy = loadBefore[0] > cores * 0.75;
  const dirty = git("status", "--porcelain").split("\n").filter(Boolean).length;
  const lines = [
    "# Performance baseline",
    "",
    "Written by `npm run perf:load` (perf/load/run.mjs) from artillery's JSON reports; do not edit by hand.",
    "Targets are the `ensure` checks in perf/load/*.yml: the SLOs of ops/slo/slos.yaml where they apply,",
    "plus flow-specific ones (each file says why). A gating check that fails makes the run exit 1.",
    "",
    `- **Result: ${pass ? "PASS" : "FAIL"}** — ${gating.length - failedGating.length} of ${gating.length} gating checks passed${broken.length ? `; ${broken.length} scenario(s) produced no report` : ""}.`,
    `- Date: ${startedAt.toISOString()}; ${Math.round((Date.now() - startedAt.getTime()) / 1000)} s in all.`,
    `- Commit: \`${git("rev-parse", "--short", "HEAD") || "unknown"}\`${dirty ? ` (plus ${dirty} uncommitted change${dirty === 1 ? "" : "s"} in the working tree)` : ""}.`,
    `- Command: \`${commandLine()}\`${quick ? " (short phases: `--quick`)" : ""}.`,
    `- Machine: ${cores} cores (${os.cpus()[0]?.model ?? "unknown CPU"}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory, ${os.type()} ${os.release()}; load average before the run ${l1} / ${l5} / ${l15} (1 / 5 / 15 min).${busy ? ` **Busy machine**: other work was running (a 1-minute load average of ${l1} on ${cores} cores before this run started anything), so these figures are pessimistic.` : ""}`,
    `- Software: Node ${process.version}, artillery ${versions.artillery}; everything (app, database, Redis, mock provider, artillery) on this one machine.`,
    `- Stack: ${stack}.`,
    `- Provider: a mock OpenAI-compatible server (tests/support/mock-openai-server.ts) streaming a ${REPLY_CHUNKS}-word answer: ${MOCK.ttftMs} ms to the first token, then a word every ${MOCK.chunkMs} ms (≈ ${Math.round(1000 / MOCK.chunkMs)} tokens/s); one model call takes at least ${MOCK.ttftMs + (REPLY_CHUNKS - 1) * MOCK.chunkMs} ms ("model floor").`,
    `- Data: ${WORKSPACES} workspaces × ${USERS} users (1 owner, ${USERS - 1} members), each workspace with the mock as its provider key and 3 indexed 5-page documents before the scenarios; every virtual user is one of these users, signed in through the real sign-in endpoint. Scenarios run one after another in the order below, on the same database.`,
    `- Settings changed from the defaults: \`RATE_LIMIT_SIGNIN_IP=10000\` (all seeded users sign in from one address), \`OCSUITE_ALLOW_PRIVATE_PROVIDER_URLS=true\` (the mock is on loopback). Every other limit (chat 30 turns per user per minute, uploads, job concurrency) is the product's default.`,
    "",
    "## Checks",
    "",
    "| scenario | check | gating | actual | result | why |",
    "|---|---|---|---|---|---|",
  ];
  for (const r of results) {
    if (!r.report) {
      lines.push(`| ${r.name} | (no report: artillery exited ${r.code}) | yes | – | **FAIL** | see the log |`);
      continue;
    }
    for (const c of r.checks) {
      const actual = c.expression.startsWith("maxErrorRate") ? failedFlows(r.report.aggregate) : actualsOf(c.expression, r.report.aggregate);
      lines.push(`| ${r.name} | \`${c.expression}\` | ${c.strict ? "yes" : "no"} | ${actual} | ${c.ok ? "PASS" : c.strict ? "**FAIL**" : "missed"} | ${c.why} |`);
    }
  }
  for (const r of results) {
    lines.push("", `## ${r.name}`, "");
    lines.push(`Phases: ${phaseText(r.phases)}. Load average before this scenario: ${r.loadBefore.map((x) => x.toFixed(2)).join(" / ")}. Artillery exit code ${r.code}; ${Math.round(r.seconds)} s.`, "");
    if (!r.report) {
      lines.push(`No JSON report; the log was ${path.basename(r.logFile)}.`);
      continue;
    }
    const a = r.report.aggregate;
    const c = a.counters ?? {};
    lines.push(
      `Virtual users: ${n(c["vusers.created"])} created, ${n(c["vusers.completed"])} completed, ${n(c["vusers.failed"] ?? 0)} failed; ${n(c["http.requests"])} HTTP requests over ${n(durationOf(a))} s.`,
      "",
      "| metric | n | p50 | p95 | p99 | max |",
      "|---|---|---|---|---|---|",
      ...metricRows(a),
      "",
      "| throughput (over the run) | value |",
      "|---|---|",
      ...throughputs(r.name, a),
      "",
      "| errors | count |",
      "|---|---|",
      ...errorRows(a),
    );
  }
  lines.push(
    "",
    "## Reading this",
    "",
    "- `http.response_time` is artillery's time to the first byte of each response it made (every tRPC call and the upload); the chat turn is timed by the processor instead (`chat.ttft`, `chat.full_answer`), which the API-latency SLO excludes too.",
    "- Job times (`*.queue_wait`, `*.run_time`, `*.time_to_*`) come from the rows' own timestamps (server clock); `*.run_pct_of_model_floor` is the run time as a percentage of the least time its model calls take against the mock (100 = no overhead at all).",
    "- A failed flow fails its virtual user (`vusers.failed`, `errors.<message>`): an HTTP error on any request, a failed turn, or a job that failed or did not finish within 2 minutes.",
    "- Percentiles are artillery's estimates from DDSketch histograms (1 % relative accuracy), so a p95 or p99 can read slightly above the max.",
    "- All processes share the machine's cores with the load generator, so every figure includes that contention.",
    ...(quick
      ? ["- Short phases (`--quick`, ~1 minute per scenario): the meeting and task scenarios see about ten flows each, so their p95 and p99 are their slowest one or two samples. Without `--quick` each scenario runs 3.5 minutes (warm-up 30 s, ramp 60 s, plateau 120 s)."]
      : []),
    "",
  );
  // The chaos run's "Faults under load" table (npm run perf:chaos), kept across regenerations.
  const faults = faultsSection();
  writeFileSync(file, [...lines, ...(faults.length ? [...faults, ""] : [])].join("\n"));
  return pass;
};

// ─── main ────────────────────────────────────────────────────────────────────

const main = async () => {
  await prepare();
  const work = mkdtempSync(path.join(os.tmpdir(), "ocsuite-load-"));
  const mock = await startMockOpenAI({ reply: REPLY, timeToFirstTokenMs: MOCK.ttftMs, chunkDelayMs: MOCK.chunkMs });
  log(`mock provider ${mock.url}: ${MOCK.ttftMs} ms to the first token, ${REPLY_CHUNKS} words at ${MOCK.chunkMs} ms`);
  let stack = null;
  const results = [];
  const procs = [];
  // Ctrl-C: the app, worker and executor run in their own process groups; stop them too.
  const interrupted = async (signal) => {
    log(`${signal}: stopping`);
    if (stack) await stack.stop().catch(() => undefined);
    else for (const p of [...procs].reverse()) await p.stop().catch(() => undefined);
    await mock.close();
    process.exit(130);
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  try {
    stack = await boot(work, procs, {
      embedded,
      adminUrl: process.env.PERF_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
      redisUrl: process.env.PERF_REDIS_URL ?? "redis://127.0.0.1:6379",
      log,
    });
    log(`seeding ${WORKSPACES} workspaces × ${USERS} users (sign-ins, workspaces, provider keys, documents)`);
    const sessions = await seed(stack, mock, { workspaces: WORKSPACES, users: USERS });
    const sessionsFile = path.join(work, "sessions.json");
    writeFileSync(sessionsFile, JSON.stringify({ users: sessions }), { mode: 0o600 });
    const evaluate = await loadEnsure();
    for (const name of scenarios) {
      log(`scenario ${name}${quick ? " (quick)" : ""}…`);
      const r = await runScenario(name, { appUrl: stack.appUrl, work, sessionsFile });
      const { ensure, why, phases } = ensureOf(name);
      const checks = r.report ? evaluate(ensure, r.report.aggregate) : [];
      // runChecks lists thresholds, then conditions, then maxErrorRate: the same order as the file.
      const notes = [...why.thresholds, ...why.conditions, why.maxErrorRate];
      checks.forEach((c, i) => (c.why = notes[i] ?? ""));
      results.push({ ...r, checks, phases });
      const failed = checks.filter((c) => c.strict && !c.ok);
      log(`scenario ${name}: artillery exit ${r.code}; ${checks.length - failed.length}/${checks.length} checks ok${failed.length ? `; FAILED: ${failed.map((c) => c.expression).join(", ")}` : ""}`);
      if (!r.report) console.error(readFileSync(r.logFile, "utf8").slice(-3000));
    }
  } finally {
    await stack?.stop();
    await mock.close();
    if (process.env.PERF_LOAD_KEEP) log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
  const versions = { artillery: createRequire(path.join(PERF, "package.json"))("artillery/package.json").version };
  const file = only ? path.join(os.tmpdir(), `performance-baseline-${Date.now()}.md`) : REPORT;
  const pass = writeReport(file, { results, stack: stack.stack, versions });
  log(`${pass ? "PASS" : "FAIL"}: report written to ${path.relative(ROOT, file).startsWith("..") ? file : path.relative(ROOT, file)}`);
  return pass && results.every((r) => r.code === 0);
};

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (err) => {
    console.error(`[perf:load] ${err.stack ?? err}`);
    process.exit(1);
  },
);
