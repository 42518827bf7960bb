/**
 * `npm run ops:drill`: the alerting path, live, on this machine.
 *
 * Starts real Prometheus and Alertmanager (Debian's packages) scraping a
 * running app and worker (the embedded default, started as `npm start` does),
 * a mock OpenAI-compatible provider the demo workspace is pointed at, and a
 * local webhook receiver standing in for PagerDuty. Then it drives chat
 * traffic and injects two faults at the provider — the fault switch exists
 * only here, in the drill's own mock server:
 *   1. an error burst (every completion answers 500)  → the chat-success page
 *   2. a slow provider (3 s to the first token)        → the chat-ttft page
 * For each it asserts the page alert reaches the webhook and resolves after the
 * fault stops, and records the times. The rules are the generated ones with
 * every window divided by DRILL_SCALE (a "drill" profile, said so in the
 * output); the real windows are proven by the promtool unit tests instead.
 *
 * Needs a production build (`npm run build`, or `npm test` before it) and the
 * `prometheus` / `prometheus-alertmanager` packages. With --record (as
 * `npm run ops:drill` runs it) the result is written to
 * docs/runbooks/alert-drill-last-run.md. Exit 0 when both pages fired and
 * resolved; 1 otherwise.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startMockOpenAI } from "../../tests/support/mock-openai-server";
import { buildDrillConfigs, DRILL_SCALE } from "./drill-config";
import { CookieClient } from "./cookie-client";
import { startProcess, waitForHttp, type Proc } from "./processes";
import { startWebhookReceiver, type ReceivedAlert } from "./webhook-receiver";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const METRICS_TOKEN = "drill-metrics-token-0123456789abcdef";
const log = (msg: string) => console.log(`[drill ${new Date().toISOString().slice(11, 19)}] ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Phase = { fault: string; slo: string; pagedAfterS: number | null; resolvedAfterS: number | null };

const freePort = async (): Promise<number> => {
  const net = await import("node:net");
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
};

/** Waits until `pred` holds over the alerts received so far, or the deadline passes. */
const waitForAlert = async (alerts: ReceivedAlert[], pred: (a: ReceivedAlert) => boolean, timeoutMs: number): Promise<ReceivedAlert | null> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const hit = alerts.find(pred);
    if (hit) return hit;
    await sleep(250);
  }
  return null;
};

/** Sends chat turns from `workers` parallel loops until `stop()` is called. */
const chatTraffic = (client: CookieClient, appUrl: string, workers: number) => {
  let running = true;
  let sent = 0;
  const loop = async () => {
    while (running) {
      const res = await client
        .fetch(`${appUrl}/api/t/acme/chat`, {
          method: "POST",
          headers: { "content-type": "application/json", origin: appUrl },
          body: JSON.stringify({ action: "send", personaKey: "cfo", content: `Drill question ${sent}`, locale: "en" }),
        })
        .catch(() => null);
      await res?.text().catch(() => "");
      sent += 1;
      if (!res || res.status >= 400) await sleep(200);
    }
  };
  const loops = Array.from({ length: workers }, loop);
  return { sent: () => sent, stop: async () => ((running = false), await Promise.all(loops)) };
};

/** A fresh database: on TEST_DATABASE_URL's server when set, else the embedded default in a temporary data folder. */
const databaseEnv = async (): Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }> => {
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) return { env: { OCSUITE_PG_PORT: "0" }, cleanup: async () => undefined };
  const pg = (await import("pg")).default;
  const name = `ocsuite_drill_${Date.now().toString(36)}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`CREATE DATABASE "${name}"`);
  await c.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString(), ...(process.env.TEST_REDIS_URL ? { REDIS_URL: process.env.TEST_REDIS_URL } : {}) },
    cleanup: async () => {
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      await d.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
      await d.end();
    },
  };
};

const runPhase = async (opts: {
  fault: string;
  slo: string;
  alerts: ReceivedAlert[];
  inject: () => void;
  clear: () => void;
  timeoutMs: number;
}): Promise<Phase> => {
  const { alerts } = opts;
  const t0 = Date.now();
  log(`fault: ${opts.fault}`);
  opts.inject();
  const paged = await waitForAlert(alerts, (a) => a.status === "firing" && a.labels.severity === "page" && a.labels.slo === opts.slo && a.receivedAt >= t0, opts.timeoutMs);
  const pagedAfterS = paged ? (paged.receivedAt - t0) / 1000 : null;
  log(paged ? `page ${paged.labels.alertname} (slo=${opts.slo}) received ${pagedAfterS!.toFixed(1)} s after the fault` : `NO page for slo=${opts.slo} within ${opts.timeoutMs / 1000} s`);
  const t1 = Date.now();
  opts.clear();
  log(`fault cleared: ${opts.fault}`);
  const resolved = paged
    ? await waitForAlert(alerts, (a) => a.status === "resolved" && a.labels.alertname === paged.labels.alertname && a.labels.slo === opts.slo && a.receivedAt >= t1, opts.timeoutMs)
    : null;
  const resolvedAfterS = resolved ? (resolved.receivedAt - t1) / 1000 : null;
  if (paged) log(resolved ? `resolved ${resolvedAfterS!.toFixed(1)} s after the fault stopped` : `page did NOT resolve within ${opts.timeoutMs / 1000} s`);
  return { fault: opts.fault, slo: opts.slo, pagedAfterS, resolvedAfterS };
};

const writeReport = (phases: Phase[], ok: boolean, startedAt: Date, totalS: number) => {
  const rows = phases.map((p) => `| ${p.fault} | ${p.slo} | ${p.pagedAfterS?.toFixed(1) ?? "not paged"} | ${p.resolvedAfterS?.toFixed(1) ?? "not resolved"} |`);
  const text = `# Alert drill — last run

Written by \`npm run ops:drill\` (scripts/drill/alert-drill.ts); do not edit by hand.

- Run: ${startedAt.toISOString()} on ${os.hostname()} (${os.cpus().length} cores), ${totalS.toFixed(0)} s in all.
- Result: **${ok ? "PASS" : "FAIL"}** — each fault paged through real Prometheus → Alertmanager → webhook, and the page resolved after the fault stopped.
- Rule profile: **drill** — the generated SLO rules with every window divided by ${DRILL_SCALE}
  (1 h → ${3600 / DRILL_SCALE} s, 5 m → ${300 / DRILL_SCALE} s); scrape and evaluation every 1 s. The production
  windows are proven by the promtool unit tests in ops/prometheus/tests/.

| fault injected at the provider | SLO | page received after (s) | resolved after the fault stopped (s) |
|---|---|---|---|
${rows.join("\n")}
`;
  writeFileSync(path.join(ROOT, "docs/runbooks/alert-drill-last-run.md"), text);
};

const main = async () => {
  const startedAt = new Date();
  if (!existsSync(path.join(ROOT, ".next/BUILD_ID"))) throw new Error("no production build: run `npm run build` first");
  const work = mkdtempSync(path.join(os.tmpdir(), "ocsuite-drill-"));
  const dataDir = path.join(work, "data");
  const procs: Proc[] = [];
  const db = await databaseEnv();
  const mock = await startMockOpenAI({ reply: "Runway is eighteen months at the current burn.", chunkDelayMs: 5 });
  const hook = await startWebhookReceiver();
  const [appPort, workerPort, promPort, amPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const appUrl = `http://127.0.0.1:${appPort}`;
  let ok = false;
  const phases: Phase[] = [];
  try {
    const baseEnv = {
      ...process.env,
      ...db.env,
      // One data folder and one set of secrets for the app and the worker (they share the database).
      OCSUITE_DATA_DIR: dataDir,
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      OCSUITE_MASTER_KEYS: `1:${randomBytes(32).toString("base64")}`,
      METRICS_TOKEN,
      APP_URL: appUrl,
      LOG_LEVEL: "warn",
      OCSUITE_ALLOW_PRIVATE_PROVIDER_URLS: "true",
      RATE_LIMIT_CHAT_PER_MINUTE: "100000",
      NEXT_TELEMETRY_DISABLED: "1",
    };
    log(`app on ${appUrl} (npm start, embedded default${db.env.DATABASE_URL ? " on TEST_DATABASE_URL's server" : ""})`);
    procs.push(startProcess("app", process.execPath, ["scripts/start.mjs", "--port", String(appPort)], { cwd: ROOT, env: baseEnv }));
    await waitForHttp(`${appUrl}/api/health`, 180_000);
    // Embedded default: npm start wrote the port it took (scripts/start.mjs).
    const databaseUrl = db.env.DATABASE_URL ?? `postgres://postgres:postgres@127.0.0.1:${readFileSync(path.join(dataDir, "pg.port"), "utf8").trim()}/postgres`;
    procs.push(
      startProcess("worker", process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/worker.ts"], {
        cwd: ROOT,
        env: { ...baseEnv, DATABASE_URL: databaseUrl, WORKER_PORT: String(workerPort), WORKER_HOST: "127.0.0.1", OTEL_SERVICE_NAME: "ocsuite-worker" },
      }),
    );
    await waitForHttp(`http://127.0.0.1:${workerPort}/healthz`, 60_000);

    const cfg = await buildDrillConfigs({ dir: work, appTarget: `127.0.0.1:${appPort}`, workerTarget: `127.0.0.1:${workerPort}`, metricsToken: METRICS_TOKEN, alertmanager: `127.0.0.1:${amPort}`, webhookUrl: hook.url });
    procs.push(startProcess("alertmanager", "/usr/bin/prometheus-alertmanager", [`--config.file=${cfg.alertmanagerConfig}`, `--storage.path=${path.join(work, "am")}`, `--web.listen-address=127.0.0.1:${amPort}`, "--cluster.listen-address="], { cwd: work }));
    procs.push(startProcess("prometheus", "prometheus", [`--config.file=${cfg.prometheusConfig}`, `--storage.tsdb.path=${path.join(work, "tsdb")}`, `--web.listen-address=127.0.0.1:${promPort}`], { cwd: work }));
    await waitForHttp(`http://127.0.0.1:${amPort}/-/ready`, 30_000);
    await waitForHttp(`http://127.0.0.1:${promPort}/-/ready`, 30_000);
    log(`Prometheus :${promPort} (rules: ${cfg.ruleFiles.length} files, drill profile ÷${DRILL_SCALE}), Alertmanager :${amPort}, webhook ${hook.url}`);

    // The demo workspace's admin adds a provider key pointing at the mock: the
    // tenant's first credential serves every persona (services/personas/resolve.ts).
    const admin = new CookieClient(appUrl);
    await admin.signIn("admin@example.com");
    await admin.trpcMutation("provider.create", { tenantSlug: "acme", provider: "openai-compatible", label: "Drill provider", apiKey: "sk-drill-0123456789", baseUrl: mock.url, defaultModel: "gpt-4o-mini" });
    const member = new CookieClient(appUrl);
    await member.signIn("member@example.com");

    const traffic = chatTraffic(member, appUrl, 3);
    log("healthy traffic for 20 s (the burn-rate windows fill with good events)");
    await sleep(20_000);
    phases.push(await runPhase({ fault: "error burst (every completion 500)", slo: "chat-success", alerts: hook.alerts, inject: () => mock.setBehaviour({ fail500: true }), clear: () => mock.setBehaviour({ fail500: false }), timeoutMs: 120_000 }));
    await sleep(5_000);
    phases.push(await runPhase({ fault: "slow provider (3 s to first token)", slo: "chat-ttft", alerts: hook.alerts, inject: () => mock.setBehaviour({ timeToFirstTokenMs: 3_000 }), clear: () => mock.setBehaviour({ timeToFirstTokenMs: 0 }), timeoutMs: 120_000 }));
    await traffic.stop();
    log(`${traffic.sent()} chat turns sent`);
    ok = phases.every((p) => p.pagedAfterS !== null && p.resolvedAfterS !== null);
  } finally {
    for (const p of procs.reverse()) await p.stop();
    await mock.close();
    await hook.close();
    await db.cleanup();
    if (!process.env.DRILL_KEEP) rmSync(work, { recursive: true, force: true });
  }
  const totalS = (Date.now() - startedAt.getTime()) / 1000;
  // `npm run ops:drill` records the run in the docs; `npm test`'s drill step
  // (no --record) only prints, so a test run leaves the tree clean.
  const record = process.argv.includes("--record");
  if (record) writeReport(phases, ok, startedAt, totalS);
  log(`${ok ? "PASS" : "FAIL"} in ${totalS.toFixed(0)} s (drill rule profile: windows ÷${DRILL_SCALE})${record ? "; written to docs/runbooks/alert-drill-last-run.md" : ""}`);
  process.exit(ok ? 0 : 1);
};

await main();
