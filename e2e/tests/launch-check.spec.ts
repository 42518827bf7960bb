/**
 * npm run launch:check against the real built app (the server this suite
 * starts with scripts/start.mjs, as `npm start` does): no browser, one run of
 * the CLI from this machine with the configuration the e2e server is started
 * with (e2e/support/serve.mjs: its secrets left to npm start's generated ones,
 * DEV_MAILBOX=1, private provider URLs allowed, the page-fault test seam on). The embedded default's
 * dev-only settings must come out as failures, inside and out, while what the
 * app gets right in every configuration (health, CSP, HSTS, nosniff,
 * frame-ancestors, the metrics token, a signed-only Inngest endpoint) passes.
 * The production-like configuration is scripts/launch-check.test.ts.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { formatTable, type Row } from "../../scripts/lib/launch-check/report";
import { APP_URL, E2E_METRICS_TOKEN } from "../support/env.mjs";

const ROOT = path.resolve(import.meta.dirname, "../..");

const launchCheck = () =>
  new Promise<{ code: number | null; rows: Row[] }>((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/launch-check.ts", APP_URL, "--json"], {
      cwd: ROOT,
      env: { NODE_ENV: "production", PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", DEV_MAILBOX: "1", OCSUITE_ALLOW_PRIVATE_PROVIDER_URLS: "true", E2E_PAGE_FAULTS: "1", METRICS_TOKEN: E2E_METRICS_TOKEN },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += String(d)));
    child.stderr.on("data", (d) => (err += String(d)));
    child.on("error", reject);
    child.on("exit", (code) => {
      try {
        resolve({ code, rows: (JSON.parse(out) as { rows: Row[] }).rows });
      } catch {
        reject(new Error(`launch:check printed no JSON (exit ${code}):\n${out}\n${err}`));
      }
    });
  });

test("launch:check against the running app reports the embedded default's dev-only settings as failures", async ({}, testInfo) => {
  test.setTimeout(120_000);
  const { code, rows } = await launchCheck();
  const table = formatTable(rows, `launch:check ${APP_URL} (the e2e server: npm start's embedded default)`);
  console.log(table);
  await testInfo.attach("launch-check.txt", { body: table, contentType: "text/plain" });
  const status = Object.fromEntries(rows.map((r) => [r.check, r.status]));

  expect(code).toBe(1);
  // Dev-only settings, from the inside and (the dev mailbox) from the outside.
  for (const check of ["secret-auth", "secret-master-keys", "secret-inngest-signing-key", "dev-mailbox", "private-provider-urls", "test-seams", "dev-mailbox-page", "smtp", "backups", "otlp"])
    expect(status[check], check).toBe("fail");
  // What the real app does right whatever its configuration.
  for (const check of ["health", "csp", "hsts", "x-content-type-options", "frame-ancestors", "metrics-protected", "metrics-scrape", "inngest-unsigned-sync", "inngest-unsigned-call", "inngest-introspection"])
    expect(status[check], check).toBe("pass");
  expect(status.tls).toBe("warn");
});
