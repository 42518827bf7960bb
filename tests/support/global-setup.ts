/**
 * Vitest global setup: gives every run a FRESH, migrated PostgreSQL database.
 *
 * - TEST_DATABASE_URL set (e.g. postgres://postgres@127.0.0.1:5432/test): connect
 *   to that server, CREATE DATABASE ocsuite_test_<random>, migrate it, DROP it at
 *   the end.
 * - otherwise: embedded Postgres (PGlite in memory, served over TCP by
 *   our PGlite TCP server, scripts/lib/pglite-server.mjs, on a free port), migrated the same way, stopped at the end.
 *
 * Migrations run through the real CLI (`prisma migrate deploy`), exactly as in
 * production. The resulting URL reaches the workers both through process.env
 * (inherited by the worker processes) and through `provide("databaseUrl")`,
 * which tests/support/setup-env.ts copies into process.env before any app code
 * is imported.
 */
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    testEnv: Record<string, string>;
  }
}

const ROOT = path.resolve(import.meta.dirname, "..", "..");

/** Environment every worker needs before app code (src/env.js) is imported. */
export const TEST_ENV: Record<string, string> = {
  AUTH_SECRET: "test-secret-0123456789abcdefghijklmnopqrstuvwxyz",
  NODE_ENV: "test",
  LOG_LEVEL: "silent",
  APP_URL: "http://localhost:3000",
  // A fixed test-only master key (32 bytes, base64) for @ocsuite/crypto.
  OCSUITE_MASTER_KEYS: `1:${Buffer.alloc(32, 7).toString("base64")}`,
  // Tests talk to local mock providers on 127.0.0.1; the strict (hosted) policy is
  // exercised explicitly with createGuardedFetch({ allowPrivateAddresses: false }).
  OCSUITE_ALLOW_PRIVATE_PROVIDER_URLS: "true",
  // In-process test servers stand in for one proxy: tests pick a client IP with
  // X-Forwarded-For (tests/security-client-ip.test.ts covers the default of 0).
  TRUSTED_PROXY_HOPS: "1",
  // Key rotation jobs wait one cache TTL before re-encrypting; one second keeps their tests short.
  KEY_CACHE_TTL_SECONDS: "1",
  // Uploaded originals go to a per-run temporary folder, never into the checkout's .data/.
  STORAGE_FS_ROOT: path.join(os.tmpdir(), `ocsuite-test-storage-${process.pid}`),
  // Workspace key vault (ADR 0016): the key files of a run's workspaces, also per run.
  OCSUITE_KEY_VAULT_DIR: path.join(os.tmpdir(), `ocsuite-test-key-vault-${process.pid}`),
};

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });

const migrate = (databaseUrl: string) =>
  new Promise<void>((resolve, reject) => {
    const child = spawn(path.join(ROOT, "node_modules", ".bin", "prisma"), ["migrate", "deploy"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += String(d)));
    child.stderr.on("data", (d) => (out += String(d)));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`prisma migrate deploy failed (exit ${code}):\n${out}`))));
  });

const withDbName = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

export default async function setup(project: TestProject) {
  for (const [k, v] of Object.entries(TEST_ENV)) process.env[k] = v;
  // The Redis path is exercised by its own test file; everything else uses the
  // Postgres-backed limiter, whatever the caller's shell has set.
  delete process.env.REDIS_URL;
  delete process.env.SMTP_URL;

  let databaseUrl: string;
  let teardown: () => Promise<void>;

  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const name = `ocsuite_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    databaseUrl = withDbName(serverUrl, name);
    teardown = async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    };
  } else {
    const { PGlite } = await import("@electric-sql/pglite");
    const { startPgliteServer } = await import("../../scripts/lib/pglite-server.mjs");
    const db = await PGlite.create();
    const port = await freePort();
    const server = await startPgliteServer({ db, host: "127.0.0.1", port, maxConnections: 50 });
    databaseUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
    teardown = async () => {
      await server.stop();
      await db.close();
    };
  }

  try {
    await migrate(databaseUrl);
  } catch (err) {
    await teardown();
    throw err;
  }

  process.env.DATABASE_URL = databaseUrl;
  project.provide("databaseUrl", databaseUrl);
  project.provide("testEnv", TEST_ENV);

  return async () => {
    await teardown();
    rmSync(TEST_ENV.STORAGE_FS_ROOT!, { recursive: true, force: true });
    rmSync(TEST_ENV.OCSUITE_KEY_VAULT_DIR!, { recursive: true, force: true });
  };
}
