#!/usr/bin/env node
// `npm start`: the whole product in one command.
//   - no DATABASE_URL → embedded Postgres (PGlite over TCP, data in .data/pg)
//   - migrations applied, demo data seeded (idempotent)
//   - a production build made when missing or out of date
//   - `next start` served; the URL and demo sign-ins printed
// With DATABASE_URL (and REDIS_URL, SMTP_URL, …) set, the same command uses
// those services instead. Ctrl-C stops the server and closes the database.
//
// Options: --port N (or PORT), --host ADDR (or HOST; default 127.0.0.1, this
// machine only), --dev (next dev instead of a build), --no-seed, --no-build (serve
// the existing build even when the sources changed since: a supervisor's restart).
import "./lib/use-node-lts.mjs";
import { randomBytes } from "node:crypto";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import pg from "pg";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { buildIsCurrent } from "./lib/build-stamp.mjs";
import { exposurePolicy } from "./lib/host-policy.mjs";
import { localJobsEnv } from "./lib/jobs-env.mjs";
import { bin, ROOT, run, runPrisma } from "./lib/prisma.mjs";
import { DEMO_PASSWORD, DEMO_TENANT, DEMO_USERS } from "../prisma/demo-data.mjs";

const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const dev = flag("dev");
const port = Number(option("port") ?? process.env.PORT ?? 3000);
const dataDir = path.resolve(ROOT, process.env.OCSUITE_DATA_DIR ?? ".data");
const t0 = performance.now();
const log = (msg) => console.log(`[ocsuite] ${msg}`);
const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(1)}s`;

let server; // the Next.js child process
let executor; // the local Inngest executor child process, when used
let stopping = false;
process.env.NEXT_TELEMETRY_DISABLED = "1";
mkdirSync(dataDir, { recursive: true });

const freePort = (preferred) =>
  new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => {
      const any = net.createServer();
      any.listen(0, "127.0.0.1", () => {
        const p = any.address().port;
        any.close(() => resolve(p));
      });
    });
    srv.listen(preferred, "127.0.0.1", () => {
      const p = srv.address().port; // preferred, or a free one when preferred is 0
      srv.close(() => resolve(p));
    });
  });

// --- 1. Database -------------------------------------------------------------
let pglite;
let pgServer;
const embedded = !process.env.DATABASE_URL;
const lockFile = path.join(dataDir, "pg.lock");
if (embedded) {
  // One process per data folder: two PGlite instances on the same files would corrupt them.
  if (existsSync(lockFile)) {
    const pid = Number(readFileSync(lockFile, "utf8"));
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = pid !== process.pid;
    } catch {
      /* stale lock: the process is gone */
    }
    if (alive) {
      console.error(`[ocsuite] another npm start (pid ${pid}) is using ${dataDir}; stop it first, or set OCSUITE_DATA_DIR to another folder`);
      process.exit(1);
    }
  }
  writeFileSync(lockFile, String(process.pid));
  const { createPglite, startPgliteServer } = await import("./lib/pglite-server.mjs");
  const pgDir = path.join(dataDir, "pg");
  log(`starting embedded Postgres (PGlite) with data in ${path.relative(ROOT, pgDir) || pgDir}`);
  // With pgvector loaded, so knowledge retrieval can use vectors when embeddings are configured.
  pglite = await createPglite({ dataDir: pgDir });
  const pgPort = await freePort(Number(process.env.OCSUITE_PG_PORT ?? 54320));
  // Our own TCP server: pglite-socket interleaves concurrent connections' queries (ADR 0008).
  pgServer = await startPgliteServer({ db: pglite, host: "127.0.0.1", port: pgPort, maxConnections: 100 });
  process.env.DATABASE_URL = `postgres://postgres:postgres@127.0.0.1:${pgPort}/postgres`;
  // For tools run beside it (npm run audit:verify): the port actually taken.
  writeFileSync(path.join(dataDir, "pg.port"), String(pgPort));
}

// --- 2. Secrets and defaults for a local run ----------------------------------
if (!process.env.AUTH_SECRET) {
  const secretFile = path.join(dataDir, "auth-secret");
  if (!existsSync(secretFile)) writeFileSync(secretFile, randomBytes(32).toString("base64url"), { mode: 0o600 });
  process.env.AUTH_SECRET = readFileSync(secretFile, "utf8").trim();
  if (!embedded) log("AUTH_SECRET is not set: using a generated one from .data/auth-secret (set it in production)");
}
if (!process.env.OCSUITE_MASTER_KEYS) {
  // The master key that wraps every tenant's data keys (packages/crypto). Kept
  // beside the embedded database; production sets OCSUITE_MASTER_KEYS or a KMS.
  const keyFile = path.join(dataDir, "master-keys");
  if (!existsSync(keyFile)) writeFileSync(keyFile, `1:${randomBytes(32).toString("base64")}`, { mode: 0o600 });
  process.env.OCSUITE_MASTER_KEYS = readFileSync(keyFile, "utf8").trim();
  if (!embedded) log("OCSUITE_MASTER_KEYS is not set: using a generated one from .data/master-keys (set it in production)");
}
// The bearer token /api/metrics wants (src/server/infra/metrics-auth.ts): without
// one a production server refuses every scrape. Generated once, reused on the next start.
const metricsTokenFile = process.env.METRICS_TOKEN ? null : path.join(dataDir, "metrics-token");
if (metricsTokenFile) {
  if (!existsSync(metricsTokenFile)) writeFileSync(metricsTokenFile, randomBytes(32).toString("base64url"), { mode: 0o600 });
  process.env.METRICS_TOKEN = readFileSync(metricsTokenFile, "utf8").trim();
}
// Where to listen, and what that allows (scripts/lib/host-policy.mjs). Loopback by
// default: the dev mailbox (magic links, when no SMTP_URL) and, for the embedded
// default, provider URLs reaching private addresses (a local Ollama) are only safe
// while nobody else can reach the port. On another address both stay off, and we
// say why. With DATABASE_URL set (a deployment) provider URLs keep the hosted
// default: https to public addresses only (src/server/infra/outbound-fetch.ts).
const exposure = exposurePolicy({ env: process.env, hostOption: option("host"), embedded });
const host = exposure.host;
Object.assign(process.env, exposure.env);
for (const note of exposure.notes) log(note);
// The address this script and the executor use to reach the server.
const localHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
process.env.APP_URL ??= exposure.loopback ? `http://localhost:${port}` : `http://${localHost}:${port}`;

// Background jobs: with no Inngest server configured, run the local executor
// (inngest/local, ADR 0007) and point the app's Inngest client at it, signed
// both ways (scripts/lib/jobs-env.mjs): /api/inngest refuses unsigned requests.
const useLocalExecutor = !process.env.INNGEST_SIGNING_KEY && !process.env.INNGEST_DEV && !process.env.INNGEST_BASE_URL && process.env.OCSUITE_LOCAL_EXECUTOR !== "0";
const executorPort = useLocalExecutor ? await freePort(Number(process.env.INNGEST_LOCAL_PORT ?? 8288)) : 0;
const executorUrl = `http://127.0.0.1:${executorPort}`;
const jobsEnv = useLocalExecutor ? localJobsEnv({ dataDir, executorUrl }) : null;
if (jobsEnv) {
  for (const [k, v] of Object.entries(jobsEnv.app)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

// Fail fast, naming the variable, before anything else runs.
try {
  await import("../src/env.js");
} catch (err) {
  console.error(`[ocsuite] ${err.message}`);
  await shutdown(1);
}

async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  await stopChild(executor, 5_000);
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await new Promise((r) => {
      const timer = setTimeout(() => (server.kill("SIGKILL"), r()), 10_000);
      server.once("exit", () => (clearTimeout(timer), r()));
    });
  }
  if (pgServer) await pgServer.stop().catch(() => undefined);
  if (pglite) {
    await pglite.close().catch(() => undefined);
    rmSync(lockFile, { force: true });
    rmSync(path.join(dataDir, "pg.port"), { force: true });
  }
  process.exit(code);
}
process.on("SIGINT", () => (log("stopping…"), shutdown(0)));
process.on("SIGTERM", () => shutdown(0));

try {
  // --- 3. Schema and demo data -----------------------------------------------
  if (!existsSync(path.join(ROOT, "src/server/db/generated/client.ts"))) await run(process.execPath, ["scripts/prisma-generate.mjs"]);
  if (await migrationsPending()) {
    await runPrisma(["migrate", "deploy"]);
    log(`database migrated (${elapsed()})`);
  } else log(`database schema up to date (${elapsed()})`);
  if (!flag("no-seed")) await run(bin("tsx"), ["prisma/seed.ts"]);

  // --- 4. Build when the sources changed since the last build -----------------
  if (!dev) {
    if (!flag("no-build") && !buildIsCurrent()) {
      log("building the app (first start, or sources changed)…");
      await run(process.execPath, ["scripts/build.mjs"]);
    }
  }

  // --- 5. Serve ----------------------------------------------------------------
  // The peer-address preload records each request's socket address before Next
  // sees it (Next's Web Request has no socket): the client IP and the dev
  // mailbox's loopback check rely on it (src/server/auth/request-meta.ts).
  const preload = `--import=${pathToFileURL(path.join(ROOT, "scripts/lib/peer-address.mjs")).href}`;
  const serverEnv = { ...process.env, NODE_OPTIONS: [process.env.NODE_OPTIONS, preload].filter(Boolean).join(" ") };
  server = spawn(bin("next"), [dev ? "dev" : "start", "-p", String(port), "-H", host], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"], env: serverEnv });
  server.stdout.on("data", (d) => process.stdout.write(d));
  server.on("exit", (code) => {
    if (!stopping) {
      log(`server exited (${code}); stopping`);
      shutdown(code ?? 1);
    }
  });
  await waitForHealth(`http://${localHost}:${port}/api/health`);
  if (useLocalExecutor) await startExecutor();
  printBanner();
} catch (err) {
  console.error(`[ocsuite] start failed: ${err.message}`);
  await shutdown(1);
}

async function stopChild(child, graceMs) {
  if (!child || child.exitCode !== null) return;
  child.kill("SIGTERM");
  await new Promise((r) => {
    const timer = setTimeout(() => (child.kill("SIGKILL"), r()), graceMs);
    child.once("exit", () => (clearTimeout(timer), r()));
  });
}

/** Starts the local executor and waits until it has synced the app's functions. */
async function startExecutor() {
  executor = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "inngest/local/main.ts"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
    env: {
      ...process.env,
      ...jobsEnv?.executor,
      INNGEST_APP_URL: `http://${localHost}:${port}/api/inngest`,
      INNGEST_LOCAL_PORT: String(executorPort),
      // Seconds rather than Inngest's minutes between retries: a local run fails fast.
      INNGEST_LOCAL_BACKOFF_MS: process.env.INNGEST_LOCAL_BACKOFF_MS ?? "1000",
    },
  });
  executor.on("exit", (code) => {
    if (!stopping) {
      log(`local Inngest executor exited (${code}); stopping`);
      shutdown(code ?? 1);
    }
  });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the local Inngest executor did not become ready within 60 s")), 60_000);
    let buffered = "";
    executor.stdout.on("data", (d) => {
      buffered += d;
      if (buffered.includes("INNGEST_LOCAL_READY")) {
        clearTimeout(timer);
        resolve();
      }
      if (process.env.LOG_LEVEL === "debug") process.stdout.write(d);
    });
  });
  log(`local Inngest executor ready at ${executorUrl} (${elapsed()})`);
}

/**
 * True unless every migration folder is recorded as applied. Checking this
 * directly takes milliseconds; the Prisma CLI's no-op deploy takes ~10 s.
 */
async function migrationsPending() {
  const wanted = readdirSync(path.join(ROOT, "prisma/migrations"), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  try {
    await client.connect();
    const { rows } = await client.query(`SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`);
    const applied = new Set(rows.map((r) => r.migration_name));
    return wanted.some((m) => !applied.has(m));
  } catch {
    return true; // no migrations table yet, or anything unexpected: let Prisma decide
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function waitForHealth(url) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status === 200) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the server did not become healthy at ${url} within 120 s`);
}

/** How to scrape /api/metrics from this machine, naming where the token is rather than printing it. */
function metricsScrapeCommand() {
  const endpoint = `http://${localHost}:${port}/api/metrics`;
  if (!metricsTokenFile) return `curl -H "Authorization: Bearer $METRICS_TOKEN" ${endpoint}`;
  const rel = path.relative(process.cwd(), metricsTokenFile);
  const shown = rel && !rel.startsWith("..") ? rel : metricsTokenFile;
  return `curl -H "Authorization: Bearer $(cat ${shown})" ${endpoint}`;
}

function printBanner() {
  const url = process.env.APP_URL;
  const lines = [
    "",
    `OC Suite is running at ${url}  (ready in ${elapsed()})`,
    embedded ? `Database: embedded Postgres in ${path.relative(ROOT, dataDir) || dataDir}/pg` : "Database: DATABASE_URL",
    `Health: ${url}/api/health`,
    `Metrics (Prometheus): ${metricsScrapeCommand()}`,
    ...(process.env.OCSUITE_ALLOW_PRIVATE_PROVIDER_URLS === "true" ? ["Provider URLs: private and localhost addresses allowed (OCSUITE_ALLOW_PRIVATE_PROVIDER_URLS=true)"] : []),
    useLocalExecutor ? `Background jobs: local Inngest executor at ${executorUrl} (signed; key in .data/inngest-signing-key)` : `Background jobs: Inngest (${process.env.INNGEST_BASE_URL ?? process.env.INNGEST_DEV ?? "Cloud"})`,
    exposure.loopback ? `Listening on ${host} (this machine only; --host or HOST to change)` : `Listening on ${host}: reachable from other machines`,
    process.env.DEV_MAILBOX === "1" ? `Dev mailbox (magic links, invitations; from this machine only): ${url}/en/dev/mailbox` : "",
    "",
    `Demo workspace "${DEMO_TENANT.name}" — every demo user's password is: ${DEMO_PASSWORD}`,
    ...DEMO_USERS.map((u) => `  ${u.email.padEnd(28)} ${u.role ?? "platform admin (not a member)"}`),
    "",
    "Press Ctrl-C to stop.",
  ];
  console.log(lines.filter((l, i) => l !== "" || lines[i - 1] !== "").join("\n"));
}
