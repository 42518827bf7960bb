// What every single-process benchmark in perf/ shares: the statistics, running a
// child process, a free loopback port, and a scratch database (created on the
// PERF_DATABASE_URL server, migrated with the real Prisma CLI, dropped at the end),
// so the scripts differ only in what they load and measure.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import net from "node:net";
import path from "node:path";
import pg from "pg";

export const root = path.resolve(import.meta.dirname, "..", "..");

export const sorted = (xs) => [...xs].sort((a, b) => a - b);
export const median = (xs) => sorted(xs)[Math.floor(xs.length / 2)];
export const p95 = (xs) => sorted(xs)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];

/** Runs a command in the repo root; resolves with its output, rejects with it on a non-zero exit. */
export const run = (cmd, argv, env) =>
  new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} failed:\n${out}`))));
  });

/** `prisma migrate deploy` against a database: the same migrations production applies. */
export const migrate = (url) => run(path.join(root, "node_modules", ".bin", "prisma"), ["migrate", "deploy"], { DATABASE_URL: url, PRISMA_HIDE_UPDATE_MESSAGE: "1" });

export const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/** The PERF_DATABASE_URL server, or exit 2 with the reason (every database benchmark needs one). */
export const requireServerUrl = () => {
  const serverUrl = process.env.PERF_DATABASE_URL;
  if (!serverUrl) {
    console.error("PERF_DATABASE_URL is required (a PostgreSQL server where a fresh database is created and dropped)");
    process.exit(2);
  }
  return serverUrl;
};

/**
 * A fresh database named ocsuite_perf_<label>_<random> on the PERF_DATABASE_URL server, migrated
 * with `migrate`. `drop()` removes it even with connections still open (unless PERF_KEEP_DB=1);
 * call it in a finally.
 */
export const scratchDatabase = async (label) => {
  const serverUrl = requireServerUrl();
  const name = `ocsuite_perf_${label}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const drop = async () => {
    // PERF_KEEP_DB=1 keeps it for profiling the loaded data afterwards (EXPLAIN in psql).
    if (process.env.PERF_KEEP_DB === "1") console.error(`kept database ${url} (PERF_KEEP_DB=1): drop it when done`);
    else await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  };
  try {
    await migrate(url);
  } catch (err) {
    await drop().catch(() => {});
    throw err;
  }
  return { url, drop };
};

/** The environment the app's modules need when a benchmark imports them in-process. */
export const appEnv = (databaseUrl, extra = {}) => ({
  DATABASE_URL: databaseUrl,
  AUTH_SECRET: "perf-secret-0123456789abcdefghijklmnopqrstuvwxyz",
  NODE_ENV: "production",
  LOG_LEVEL: "warn",
  EMBEDDINGS_PROVIDER: "none",
  // Content is sealed under the workspaces' keys (ADR 0015): a fresh master key per run.
  OCSUITE_MASTER_KEYS: `1:${randomBytes(32).toString("base64")}`,
  // And each workspace's key-vault key (ADR 0016) in a folder of the run's own.
  OCSUITE_KEY_VAULT_DIR: mkdtempSync(path.join(os.tmpdir(), "ocsuite-perf-key-vault-")),
  ...extra,
});
