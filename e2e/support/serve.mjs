#!/usr/bin/env node
// The e2e web server: a real OIDC provider, a fresh database, and the app
// started exactly as `npm start` starts it (scripts/start.mjs), on APP_PORT.
// Database: a new database on TEST_DATABASE_URL's server when set (dropped on
// exit), else embedded PGlite in a temporary folder.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { startOidcServer, OIDC_CLIENT } from "./oidc-server.mjs";
import { APP_PORT, APP_URL, E2E_METRICS_TOKEN, E2E_SIGNIN_ACCOUNT_LIMIT, E2E_SIGNIN_IP_LIMIT, OIDC_PORT } from "./env.mjs";

const root = path.resolve(import.meta.dirname, "../..");
const oidc = await startOidcServer({ port: OIDC_PORT, appUrl: APP_URL });

const env = {
  ...process.env,
  AUTH_OIDC_ISSUER: oidc.issuer,
  AUTH_OIDC_CLIENT_ID: OIDC_CLIENT.id,
  AUTH_OIDC_CLIENT_SECRET: OIDC_CLIENT.secret,
  AUTH_OIDC_NAME: "Acme SSO",
  APP_URL,
  DEV_MAILBOX: "1",
  METRICS_TOKEN: E2E_METRICS_TOKEN,
  RATE_LIMIT_SIGNIN_IP: String(E2E_SIGNIN_IP_LIMIT),
  RATE_LIMIT_SIGNIN_ACCOUNT: String(E2E_SIGNIN_ACCOUNT_LIMIT),
  LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
  // The suite plays the one proxy in front of the app: tests pick their client IP with
  // X-Forwarded-For (perFileClientIp, the per-IP sign-in limit); security-client-ip.spec.ts
  // shows a spoofed entry to the left of it changes nothing.
  TRUSTED_PROXY_HOPS: "1",
  // The e2e providers are local mock servers (127.0.0.1); production keeps the default (false).
  OCSUITE_ALLOW_PRIVATE_PROVIDER_URLS: "true",
  // A data-key rotation waits one key-cache TTL before re-encrypting (inngest/jobs/rotate-data-key.ts);
  // one second instead of the default minute lets key-rotation.spec.ts watch a rotation finish.
  KEY_CACHE_TTL_SECONDS: "1",
  // The test seam of src/lib/server-pages/injected-fault.ts: shell-resilience.spec.ts fails a page on request.
  E2E_PAGE_FAULTS: "1",
};
delete env.DATABASE_URL;
delete env.REDIS_URL;

let cleanup = async () => {};
if (process.env.TEST_DATABASE_URL) {
  const admin = new URL(process.env.TEST_DATABASE_URL);
  const name = `ocsuite_e2e_${Date.now().toString(36)}`;
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`CREATE DATABASE "${name}"`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  env.DATABASE_URL = url.toString();
  // Redis too, when the machine has it: the e2e then exercises the Redis rate limiter.
  if (process.env.TEST_REDIS_URL) env.REDIS_URL = process.env.TEST_REDIS_URL;
  cleanup = async () => {
    const c = new pg.Client({ connectionString: admin.toString() });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
    await c.end();
  };
} else {
  const dir = mkdtempSync(path.join(os.tmpdir(), "ocsuite-e2e-"));
  env.OCSUITE_DATA_DIR = dir;
  env.OCSUITE_PG_PORT = "0";
  cleanup = async () => rmSync(dir, { recursive: true, force: true });
}

const app = spawn(process.execPath, ["scripts/start.mjs", "--port", String(APP_PORT)], { cwd: root, env, stdio: "inherit" });
const stop = async (code) => {
  if (app.exitCode === null) {
    app.kill("SIGTERM");
    await new Promise((r) => app.once("exit", r));
  }
  await oidc.close();
  await cleanup();
  process.exit(code);
};
app.on("exit", (code) => stop(code ?? 0));
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));
