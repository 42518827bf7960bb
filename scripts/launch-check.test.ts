/**
 * npm run launch:check as an operator runs it: the real CLI in its own
 * process (src/env.js validates the environment once per process), against
 * real HTTP servers, the run's migrated PostgreSQL, a local SMTP listener, an
 * OTLP receiver and a temporary storage folder. Two configurations:
 *
 * - the embedded default (what npm start runs with when nothing is set): its
 *   generated secrets and dev-only settings must be reported as failures, and
 *   so must a deployment that behaves like a dev server (no CSP/HSTS, open
 *   metrics, an Inngest endpoint in dev mode, the dev mailbox);
 * - a production-like configuration (secrets set, SMTP, OTLP, backups
 *   attested, a deployment with the real app's headers): every row passes
 *   except the two that cannot from here (plain http on loopback, and Inngest
 *   Cloud's sync, visible only in its dashboard), which warn.
 *
 * The same CLI against the real built app is e2e/tests/launch-check.spec.ts.
 */
import { createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localJobsEnv } from "./lib/jobs-env.mjs";
import { configurationRows, type Configuration } from "./lib/launch-check/config";
import { startOtlpReceiver, type OtlpReceiver } from "../tests/support/otlp-receiver";
import { listenLocal } from "../tests/support/mock-http";
import { runScript } from "../tests/support/run-script";
import { startSmtpServer, type SmtpServer } from "../tests/support/smtp-server";

type Row = { check: string; status: "pass" | "fail" | "warn"; detail: string; fix: string };
type Report = { ok: boolean; summary: { pass: number; warn: number; fail: number }; rows: Row[] };

// Only what a shell on the server would have: nothing of the test run's own configuration.
const runCli = async (args: string[], env: Record<string, string>) => {
  const r = await runScript("launch-check.ts", args, { NODE_ENV: "production", PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? os.tmpdir(), ...env });
  return { code: r.code, out: r.stdout, err: r.stderr };
};

const runCheck = async (base: string, env: Record<string, string>, extra: string[] = []) => {
  const { code, out, err } = await runCli([base, "--json", "--timeout-ms", "4000", ...extra], env);
  try {
    return { code, report: JSON.parse(out) as Report };
  } catch {
    throw new Error(`launch:check printed no JSON (exit ${code}):\n${out}\n${err}`);
  }
};

const byCheck = (report: Report) => Object.fromEntries(report.rows.map((r) => [r.check, r]));

/** A deployment's HTTP surface: like the real app (production) or like a dev server left public. */
const startDeployment = async (opts: { production: boolean; metricsToken: string; signingKey: string }) => {
  const page = (res: ServerResponse) => {
    const headers: Record<string, string> = { "content-type": "text/html" };
    if (opts.production) {
      headers["content-security-policy"] = "default-src 'self'; script-src 'self' 'nonce-abc' 'strict-dynamic'; frame-ancestors 'none'; object-src 'none'";
      headers["strict-transport-security"] = "max-age=63072000; includeSubDomains";
      headers["x-content-type-options"] = "nosniff";
    }
    res.writeHead(200, headers).end("<html></html>");
  };
  const signed = (header: string | undefined) => {
    const [, t, s] = /^t=(\d+)&s=([0-9a-f]+)$/.exec(header ?? "") ?? [];
    const key = opts.signingKey.replace(/^signkey-\w+-/, "");
    return Boolean(t && s === createHmac("sha256", key).update(`${t}`).digest("hex"));
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const json = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (url.pathname === "/api/health") return json(200, { status: "ok", checks: { database: { status: "ok" } } });
    if (url.pathname === "/en/sign-in") return page(res);
    if (url.pathname === "/en/dev/mailbox") return opts.production ? res.writeHead(404).end() : page(res);
    if (url.pathname === "/api/metrics") {
      const ok = !opts.production || req.headers.authorization === `Bearer ${opts.metricsToken}`;
      return ok ? res.writeHead(200, { "content-type": "text/plain" }).end("# metrics\n") : res.writeHead(401).end();
    }
    if (url.pathname === "/api/inngest") {
      if (!opts.production) return json(200, { mode: "dev", function_count: 12, has_signing_key: false });
      if (req.method === "GET") return json(200, signed(req.headers["x-inngest-signature"] as string | undefined) ? { authentication_succeeded: true, function_count: 12 } : {});
      return json(401, { message: "No x-inngest-signature provided" });
    }
    res.writeHead(404).end();
  });
  return listenLocal(server);
};

const dataDir = mkdtempSync(path.join(os.tmpdir(), "ocsuite-launch-check-"));
let smtp: SmtpServer;
let otlp: OtlpReceiver;
let devLike: Awaited<ReturnType<typeof startDeployment>>;
let prodLike: Awaited<ReturnType<typeof startDeployment>>;
const prodSecrets = {
  AUTH_SECRET: randomBytes(32).toString("base64"),
  OCSUITE_MASTER_KEYS: `1:${randomBytes(32).toString("base64")}`,
  METRICS_TOKEN: randomBytes(24).toString("base64url"),
  INNGEST_SIGNING_KEY: `signkey-prod-${randomBytes(32).toString("hex")}`,
  INNGEST_EVENT_KEY: randomBytes(32).toString("hex"),
};

beforeAll(async () => {
  // The data folder as a first `npm start` leaves it (scripts/start.mjs, scripts/lib/jobs-env.mjs).
  for (const [file, value] of [
    ["auth-secret", randomBytes(32).toString("base64url")],
    ["master-keys", `1:${randomBytes(32).toString("base64")}`],
    ["metrics-token", randomBytes(32).toString("base64url")],
  ] as const)
    writeFileSync(path.join(dataDir, file), value, { mode: 0o600 });
  localJobsEnv({ dataDir, executorUrl: "http://127.0.0.1:8288" });
  [smtp, otlp, devLike, prodLike] = await Promise.all([
    startSmtpServer(),
    startOtlpReceiver(),
    startDeployment({ production: false, metricsToken: "unused", signingKey: "unused" }),
    startDeployment({ production: true, metricsToken: prodSecrets.METRICS_TOKEN, signingKey: prodSecrets.INNGEST_SIGNING_KEY }),
  ]);
});

afterAll(async () => {
  await Promise.all([smtp?.close(), otlp?.close(), devLike?.close(), prodLike?.close()]);
});

describe("npm run launch:check", () => {
  it("key-vault: none fails in production (warns in staging), vault needs its address and token", () => {
    const check = (effective: Record<string, string>, mode: "production" | "staging" = "production") => {
      const c: Configuration = { operator: effective, effective, dataDir: "/srv/ocsuite", embedded: false, localExecutor: false, generated: {} };
      return configurationRows(c, mode).find((r) => r.check === "key-vault");
    };
    expect(check({ OCSUITE_KEY_VAULT: "none" })).toMatchObject({ status: "fail", detail: expect.stringContaining("stay readable with the master keys"), fix: expect.stringContaining("key-vault.md") });
    expect(check({ OCSUITE_KEY_VAULT: "none" }, "staging")?.status).toBe("warn");
    expect(check({ OCSUITE_KEY_VAULT: "vault", VAULT_ADDR: "https://vault:8200" })).toMatchObject({ status: "fail", detail: expect.stringContaining("without VAULT_TOKEN") });
    expect(check({ OCSUITE_KEY_VAULT: "vault", VAULT_ADDR: "https://vault:8200", VAULT_TOKEN: "hvs.x" })).toMatchObject({ status: "pass", detail: "vault: Vault transit at https://vault:8200/, mount transit" });
    expect(check({})).toMatchObject({ status: "pass", detail: expect.stringContaining(path.join("/srv/ocsuite", "key-vault")) });
  });

  it("reports the embedded default's generated secrets and dev-only settings as failures", async () => {
    const { code, report } = await runCheck(devLike.origin, { OCSUITE_DATA_DIR: dataDir });
    expect(code).toBe(1);
    expect(report.ok).toBe(false);
    const rows = byCheck(report);
    for (const check of ["secret-auth", "secret-master-keys", "secret-metrics-token", "secret-inngest-signing-key"]) {
      expect(rows[check]).toMatchObject({ status: "fail", detail: expect.stringContaining(dataDir) });
      expect(rows[check]!.fix).not.toBe("");
    }
    expect(rows["dev-mailbox"]).toMatchObject({ status: "fail", detail: expect.stringContaining("npm start turns it on") });
    expect(rows["private-provider-urls"]).toMatchObject({ status: "fail", detail: expect.stringContaining("OCSUITE_ALLOW_PRIVATE_PROVIDER_URLS=true") });
    for (const check of ["database", "backups", "smtp", "otlp", "migrations"]) expect(rows[check]?.status).toBe("fail");
    expect(rows["test-seams"]?.status).toBe("pass");
    // The dev-server-like deployment, from the outside.
    for (const check of ["csp", "hsts", "x-content-type-options", "frame-ancestors", "metrics-protected", "dev-mailbox-page", "inngest-unsigned-sync", "inngest-unsigned-call", "inngest-introspection"])
      expect(rows[check], check).toMatchObject({ status: "fail" });
    expect(rows.health?.status).toBe("pass");
  }, 60_000);

  it("passes a production-like configuration (secrets set, mailbox off, SMTP, storage, OTLP, backups)", async () => {
    const storageRoot = mkdtempSync(path.join(os.tmpdir(), "ocsuite-launch-storage-"));
    const { code, report } = await runCheck(prodLike.origin, {
      ...prodSecrets,
      OCSUITE_DATA_DIR: dataDir,
      DATABASE_URL: process.env.DATABASE_URL!,
      SMTP_URL: smtp.url,
      OCSUITE_ALLOW_PRIVATE_PROVIDER_URLS: "false",
      STORAGE_FS_ROOT: storageRoot,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: otlp.url,
      OCSUITE_BACKUPS_CONFIGURED: "true",
    });
    const rows = byCheck(report);
    expect(report.rows.filter((r) => r.status === "fail")).toEqual([]);
    expect(code).toBe(0);
    expect(report.rows.filter((r) => r.status === "warn").map((r) => r.check)).toEqual(["tls", "inngest-synced"]);
    expect(rows["inngest-synced"]?.detail).toContain("signed GET /api/inngest accepted (12 functions)");
    expect(rows.migrations?.detail).toMatch(/^all \d+ applied$/);
    expect(rows.storage?.detail).toContain(storageRoot);
    expect(rows["key-vault"]).toMatchObject({ status: "pass", detail: expect.stringContaining(path.join(dataDir, "key-vault")) });
    expect(smtp.commands.some((c) => c.startsWith("EHLO"))).toBe(true);
    expect(otlp.requests).toBeGreaterThan(0);
  }, 60_000);

  it("in staging mode only warns about what matters for real users (no OTLP, no backups attested, the embedded database)", async () => {
    const { report } = await runCheck(devLike.origin, { OCSUITE_DATA_DIR: dataDir }, ["--mode", "staging"]);
    const rows = byCheck(report);
    for (const check of ["otlp", "backups", "database", "secret-inngest-signing-key"]) expect(rows[check]?.status, check).toBe("warn");
    expect(rows["secret-auth"]?.status).toBe("fail");
  }, 60_000);

  it("refuses a base URL that is not http(s) with the usage (exit 2)", async () => {
    const { code, err } = await runCli(["ftp://example.com"], {});
    expect(code).toBe(2);
    expect(err).toContain("the base URL must be an http(s) URL");
    expect(err).toContain("usage: npm run launch:check");
  }, 60_000);

  it("fails secrets copied from the data folder and a database without migrations", async () => {
    const admin = new URL(process.env.DATABASE_URL!);
    const name = `ocsuite_launch_empty_${Date.now().toString(36)}`;
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    await client.query(`CREATE DATABASE "${name}"`);
    try {
      const empty = new URL(admin);
      empty.pathname = `/${name}`;
      const { code, report } = await runCheck(prodLike.origin, {
        ...prodSecrets,
        AUTH_SECRET: readFileSync(path.join(dataDir, "auth-secret"), "utf8"),
        E2E_PAGE_FAULTS: "1",
        OCSUITE_DATA_DIR: dataDir,
        DATABASE_URL: empty.toString(),
      });
      const rows = byCheck(report);
      expect(code).toBe(1);
      expect(rows["test-seams"]).toMatchObject({ status: "fail", detail: "set: E2E_PAGE_FAULTS (fails pages on request)" });
      expect(rows["secret-auth"]).toMatchObject({ status: "fail", detail: expect.stringContaining("is the embedded default") });
      expect(rows["secret-master-keys"]?.status).toBe("pass");
      expect(rows.migrations).toMatchObject({ status: "fail", detail: expect.stringContaining("no _prisma_migrations table") });
    } finally {
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    }
  }, 60_000);
});
