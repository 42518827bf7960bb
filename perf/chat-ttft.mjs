#!/usr/bin/env node
// Time-to-first-token overhead of our chat route over a bare proxy.
// Run from the repo root after a build (npm run build):
//   node --import tsx perf/chat-ttft.mjs [rounds=40] [concurrency=50]
// Optional: PERF_DATABASE_URL=postgres://…/postgres (a server where a fresh
// database is created and dropped); without it the app runs on embedded PGlite.
// PERF_REDIS_URL=redis://… puts the rate-limit counters in Redis, as in production.
//
// One run, one server, one mock upstream (tests/support/mock-openai-server.ts,
// speaking the OpenAI streaming protocol with an injected time to first token):
//  - ours:     POST /api/t/acme/chat (session, tenant context, rate limit, persona
//              and credential resolution + decryption, user message and
//              placeholder committed, gateway, NDJSON) → first "delta" line;
//  - baseline: POST /api/perf/proxy (a route handler that only pipes the same
//              upstream's SSE) → first SSE chunk carrying content.
// Both are timed by this client from request start to the first text delta.
// Sequential (1 stream at a time, alternating ours/baseline) and concurrent
// (N streams at once, each side separately). Reports median, p95 and the
// overhead (ours − baseline) and ratio.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { startMockOpenAI } from "../tests/support/mock-openai-server.ts";
import { freePort, root } from "./lib/bench.mjs";

const ROUNDS = Number(process.argv[2] ?? 40);
const CONCURRENCY = Number(process.argv[3] ?? 50);
const UPSTREAM_TTFT_MS = Number(process.env.PERF_UPSTREAM_TTFT_MS ?? 100);

const mock = await startMockOpenAI({
  reply: "Cash first: the runway impact is what matters. ".repeat(6).trim(),
  timeToFirstTokenMs: UPSTREAM_TTFT_MS,
  chunkDelayMs: 2,
});
const port = await freePort();
const appUrl = `http://127.0.0.1:${port}`;

const env = {
  ...process.env,
  APP_URL: appUrl,
  LOG_LEVEL: "warn",
  OCSUITE_PERF_PROXY_TARGET: mock.url,
  OCSUITE_ALLOW_PRIVATE_PROVIDER_URLS: "true",
  // The benchmark is one user firing hundreds of turns a minute.
  RATE_LIMIT_CHAT_PER_MINUTE: "100000",
  RATE_LIMIT_SIGNIN_IP: "1000",
  RATE_LIMIT_SIGNIN_ACCOUNT: "1000",
};
delete env.DATABASE_URL;
delete env.REDIS_URL;
// Rate-limit counters and sessions as in production: Redis when given.
if (process.env.PERF_REDIS_URL) env.REDIS_URL = process.env.PERF_REDIS_URL;
let dropDb = async () => {};
let dataDir = null;
if (process.env.PERF_DATABASE_URL) {
  const name = `ocsuite_perf_${Date.now().toString(36)}`;
  const c = new pg.Client({ connectionString: process.env.PERF_DATABASE_URL });
  await c.connect();
  await c.query(`CREATE DATABASE "${name}"`);
  await c.end();
  const url = new URL(process.env.PERF_DATABASE_URL);
  url.pathname = `/${name}`;
  env.DATABASE_URL = url.toString();
  dropDb = async () => {
    const d = new pg.Client({ connectionString: process.env.PERF_DATABASE_URL });
    await d.connect();
    await d.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await d.end();
  };
} else {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "ocsuite-perf-"));
  env.OCSUITE_DATA_DIR = dataDir;
  env.OCSUITE_PG_PORT = "0";
}

const app = spawn(process.execPath, ["scripts/start.mjs", "--port", String(port)], { cwd: root, env, stdio: ["ignore", "inherit", "inherit"] });
const shutdown = async () => {
  if (app.exitCode === null) {
    app.kill("SIGTERM");
    await new Promise((r) => app.once("exit", r));
  }
  await mock.close();
  await dropDb();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
};

try {
  // Wait for the app.
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (app.exitCode !== null) throw new Error(`the app exited with ${app.exitCode}`);
    const ok = await fetch(`${appUrl}/api/health`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error("the app did not become healthy in 5 minutes");
    await new Promise((r) => setTimeout(r, 500));
  }

  // Sign in as the seeded owner of "acme" (a cookie jar of one).
  const cookies = new Map();
  const keep = (res) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair.indexOf("=");
      cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
    return res;
  };
  const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  const { csrfToken } = await keep(await fetch(`${appUrl}/api/auth/csrf`)).json();
  keep(
    await fetch(`${appUrl}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(), "x-auth-return-redirect": "1" },
      body: new URLSearchParams({ email: "owner@example.com", password: "ocsuite-demo-2026", csrfToken, callbackUrl: "/en/workspaces" }),
    }),
  );
  if (![...cookies.keys()].some((k) => k.includes("session-token"))) throw new Error("sign-in failed");
  const headers = () => ({ "content-type": "application/json", cookie: cookieHeader(), origin: appUrl });

  // The tenant's provider: the mock, as an OpenAI-compatible credential.
  const created = await fetch(`${appUrl}/api/trpc/provider.create`, {
    method: "POST",
    headers: headers(),
    body: JSON.stringify({ json: { tenantSlug: "acme", provider: "openai-compatible", label: "perf mock", apiKey: "sk-perf-0000000000", baseUrl: mock.url, defaultModel: "perf-model" } }),
  });
  if (!created.ok) throw new Error(`provider.create: ${created.status} ${await created.text()}`);

  /** ms from request start to the first text delta. */
  const ours = async (i) => {
    const t0 = performance.now();
    const res = await fetch(`${appUrl}/api/t/acme/chat`, {
      method: "POST",
      headers: headers(),
      // With the page's locale, as the chat UI sends every turn (features/chat/types.ts TurnRequest).
      body: JSON.stringify({ action: "send", personaKey: "cfo", content: `What is our runway? (${i})`, locale: "en" }),
    });
    if (res.status !== 200) throw new Error(`chat route: ${res.status} ${await res.text()}`);
    return firstDelta(res, t0, (line) => line.startsWith('{"type":"delta"'));
  };
  const baseline = async (i) => {
    const t0 = performance.now();
    const res = await fetch(`${appUrl}/api/perf/proxy`, { method: "POST", headers: headers(), body: JSON.stringify({ content: `What is our runway? (${i})` }) });
    if (res.status !== 200) throw new Error(`proxy route: ${res.status} ${await res.text()}`);
    return firstDelta(res, t0, (line) => line.startsWith("data: {") && /"content":"[^"]/.test(line));
  };
  // Reads until the first matching line, notes the time, then drains the rest
  // (so the server finishes the turn as a real client would let it).
  const firstDelta = async (res, t0, isDelta) => {
    const decoder = new TextDecoder();
    let buf = "";
    let at = null;
    for await (const chunk of res.body) {
      buf += decoder.decode(chunk, { stream: true });
      if (at === null) {
        const lines = buf.split("\n");
        buf = lines.pop();
        if (lines.some(isDelta)) at = performance.now() - t0;
      } else buf = "";
    }
    if (at === null) throw new Error("stream ended without a text delta");
    return at;
  };

  const q = (xs, p) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor(p * s.length))];
  };
  const report = (label, o, b) => {
    const row = {
      label,
      n: o.length,
      oursMedian: q(o, 0.5),
      oursP95: q(o, 0.95),
      baselineMedian: q(b, 0.5),
      baselineP95: q(b, 0.95),
    };
    row.overheadMedian = row.oursMedian - row.baselineMedian;
    row.overheadP95 = row.oursP95 - row.baselineP95;
    row.ratioMedian = row.oursMedian / row.baselineMedian;
    row.ratioP95 = row.oursP95 / row.baselineP95;
    return row;
  };

  // Warm-up: JIT, route compilation, connection pools, prompt cache.
  for (let i = 0; i < 5; i++) {
    await ours(-i);
    await baseline(-i);
  }

  const seqOurs = [];
  const seqBase = [];
  for (let i = 0; i < ROUNDS; i++) {
    // Alternate which goes first so drift affects both sides alike.
    if (i % 2 === 0) {
      seqOurs.push(await ours(i));
      seqBase.push(await baseline(i));
    } else {
      seqBase.push(await baseline(i));
      seqOurs.push(await ours(i));
    }
  }

  const concOurs = [];
  const concBase = [];
  for (let round = 0; round < 3; round++) {
    const offset = 1000 * (round + 1);
    concBase.push(...(await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => baseline(offset + i)))));
    concOurs.push(...(await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => ours(offset + i)))));
  }

  const rows = [report("1 stream", seqOurs, seqBase), report(`${CONCURRENCY} concurrent`, concOurs, concBase)];
  const fmt = (n) => (Math.round(n * 10) / 10).toFixed(1);
  console.log(`\nTime to first token (ms), upstream TTFT ${UPSTREAM_TTFT_MS} ms, ${process.env.PERF_DATABASE_URL ? "PostgreSQL" : "embedded PGlite"}`);
  console.log("| load | n | ours p50 | ours p95 | proxy p50 | proxy p95 | overhead p50 | overhead p95 | ratio p50 | ratio p95 |");
  console.log("|---|---|---|---|---|---|---|---|---|---|");
  for (const r of rows) {
    console.log(
      `| ${r.label} | ${r.n} | ${fmt(r.oursMedian)} | ${fmt(r.oursP95)} | ${fmt(r.baselineMedian)} | ${fmt(r.baselineP95)} | ${fmt(r.overheadMedian)} | ${fmt(r.overheadP95)} | ${r.ratioMedian.toFixed(2)} | ${r.ratioP95.toFixed(2)} |`,
    );
  }
} finally {
  await shutdown();
}
