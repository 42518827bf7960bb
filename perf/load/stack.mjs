/**
 * The load runner's stack (perf/load/run.mjs), shared with the chaos run
 * (perf/chaos/run.mjs): a fresh database, the production processes (web by
 * `npm start`'s script, the worker, the local executor) or the embedded
 * default, and the seeded workspaces with signed-in users.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { startProcess, waitForHttp } from "../../scripts/drill/processes.ts";
import { makePdf } from "./documents.mjs";

export const ROOT = path.resolve(import.meta.dirname, "../..");
/** Every seeded user's password. */
export const SEED_PASSWORD = "load-test-password-2026";
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/** A fresh database on the server at `admin`, dropped by drop(). */
export const freshDatabase = async (admin) => {
  const name = `ocsuite_load_${Date.now().toString(36)}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  const { rows } = await c.query("SHOW server_version");
  await c.query(`CREATE DATABASE "${name}"`);
  await c.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    version: `PostgreSQL ${rows[0].server_version}`,
    drop: async () => {
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      await d.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
      await d.end();
    },
  };
};

/**
 * Starts the stack (each process also pushed to `procs`); returns the app's URL, the database URL, what runs, and a stop().
 * `adminUrl`: the PostgreSQL server where a fresh database is made; `redisUrl`; `embedded`: npm start alone;
 * `start`: how a process is started (scripts/drill/processes.ts's startProcess, or a supervised one: perf/chaos);
 * `startArgs`: more options for `npm start`'s script.
 */
export const boot = async (work, procs, { embedded = false, adminUrl, redisUrl, log = () => undefined, start = startProcess, startArgs = [] } = {}) => {
  const appPort = await freePort();
  const appUrl = `http://127.0.0.1:${appPort}`;
  const dataDir = path.join(work, "data");
  mkdirSync(dataDir, { recursive: true });
  const common = {
    ...process.env,
    APP_URL: appUrl,
    OCSUITE_DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
    NEXT_TELEMETRY_DISABLED: "1",
    // The mock provider listens on loopback (the hosted default refuses private addresses).
    OCSUITE_ALLOW_PRIVATE_PROVIDER_URLS: "true",
    // Every seeded user signs in from this one address before the run; the per-IP
    // sign-in limit (30 per 15 minutes) is for strangers, not for a room of colleagues.
    RATE_LIMIT_SIGNIN_IP: "10000",
  };
  for (const k of ["DATABASE_URL", "REDIS_URL", "INNGEST_SIGNING_KEY", "INNGEST_EVENT_KEY", "INNGEST_BASE_URL", "INNGEST_DEV", "PORT"]) delete common[k];
  let db = null;
  const stop = async () => {
    for (const p of [...procs].reverse()) await p.stop();
    await db?.drop();
  };
  try {
    if (embedded) {
      log(`web: npm start, embedded default (PGlite in a temporary folder, its own executor) on ${appUrl}`);
      procs.push(start("web", process.execPath, ["scripts/start.mjs", "--port", String(appPort), ...startArgs], { cwd: ROOT, env: { ...common, OCSUITE_PG_PORT: "0" } }));
      await waitForHttp(`${appUrl}/api/health`, 300_000);
      await waitForOutput(procs[0], "OC Suite is running", 120_000);
      const pgPort = readFileSync(path.join(dataDir, "pg.port"), "utf8").trim();
      return { appUrl, databaseUrl: `postgres://postgres:postgres@127.0.0.1:${pgPort}/postgres`, procs, stop, stack: "embedded default: `npm start` with no DATABASE_URL (PGlite over TCP, the local executor calling the web process; no Redis, no separate worker)" };
    }
    db = await freshDatabase(adminUrl);
    const [workerPort, executorPort] = [await freePort(), await freePort()];
    const executorUrl = `http://127.0.0.1:${executorPort}`;
    const signingKey = `signkey-load-${randomBytes(32).toString("hex")}`;
    const eventKey = randomBytes(32).toString("hex");
    const env = {
      ...common,
      DATABASE_URL: db.url,
      REDIS_URL: redisUrl,
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      OCSUITE_MASTER_KEYS: `1:${randomBytes(32).toString("base64")}`,
      METRICS_TOKEN: randomBytes(24).toString("base64url"),
      // Inngest as self-hosted: events to the executor, signed calls both ways
      // (with these set, npm start's script starts no executor of its own).
      INNGEST_SIGNING_KEY: signingKey,
      INNGEST_EVENT_KEY: eventKey,
      INNGEST_BASE_URL: executorUrl,
    };
    log(`web: npm start's script on ${appUrl} (${db.version}, Redis ${redisUrl})`);
    procs.push(start("web", process.execPath, ["scripts/start.mjs", "--port", String(appPort), ...startArgs], { cwd: ROOT, env }));
    await waitForHttp(`${appUrl}/api/health`, 300_000);
    log(`worker: scripts/worker.ts on :${workerPort}`);
    procs.push(
      start("worker", process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/worker.ts"], {
        cwd: ROOT,
        env: { ...env, WORKER_PORT: String(workerPort), WORKER_HOST: "127.0.0.1", OTEL_SERVICE_NAME: "ocsuite-worker" },
      }),
    );
    await waitForHttp(`http://127.0.0.1:${workerPort}/healthz`, 120_000);
    log(`executor: inngest/local on ${executorUrl}, synced to the worker`);
    procs.push(
      start("executor", process.execPath, ["--conditions=react-server", "--import", "tsx", "inngest/local/main.ts"], {
        cwd: ROOT,
        env: {
          ...env,
          INNGEST_APP_URL: `http://127.0.0.1:${workerPort}/api/inngest`,
          INNGEST_LOCAL_PORT: String(executorPort),
          INNGEST_LOCAL_EVENT_KEY: eventKey,
          INNGEST_LOCAL_BACKOFF_MS: "1000",
        },
      }),
    );
    await waitForOutput(procs[2], "INNGEST_LOCAL_READY", 120_000);
    return {
      appUrl,
      databaseUrl: db.url,
      procs,
      stop,
      stack: `production topology: web (\`npm start\`'s script, \`next start\`), worker (scripts/worker.ts), local Inngest executor (inngest/local) synced to the worker; ${db.version} (a fresh database), Redis`,
    };
  } catch (err) {
    for (const p of procs) if (p.child.exitCode !== null) console.error(`--- ${p.name} output ---\n${p.output().slice(-4000)}`);
    await stop();
    throw err;
  }
};

export const waitForOutput = async (proc, text, timeoutMs) => {
  const deadline = Date.now() + timeoutMs;
  while (!proc.output().includes(text)) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited (${proc.child.exitCode}):\n${proc.output().slice(-4000)}`);
    if (Date.now() > deadline) throw new Error(`${proc.name} did not print "${text}" within ${timeoutMs / 1000} s`);
    await sleep(250);
  }
};

/** A browser-like client of one user: a cookie map and next-auth's credentials sign-in. */
export const httpUser = (appUrl, password = SEED_PASSWORD) => {
  const cookies = new Map();
  const call = async (url, init = {}) => {
    const headers = new Headers(init.headers);
    if (cookies.size) headers.set("cookie", [...cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await fetch(`${appUrl}${url}`, { ...init, headers, redirect: "manual" });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair.indexOf("=");
      if (i > 0) cookies.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
    }
    return res;
  };
  const mutation = async (procedure, input) => {
    const res = await call(`/api/trpc/${procedure}`, { method: "POST", headers: { "content-type": "application/json", origin: appUrl }, body: JSON.stringify({ json: input }) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${procedure}: HTTP ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text).result.data.json;
  };
  const signIn = async (email) => {
    const { csrfToken } = await (await call("/api/auth/csrf")).json();
    const res = await call("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-auth-return-redirect": "1", origin: appUrl },
      body: new URLSearchParams({ email, password, csrfToken, callbackUrl: "/en/workspaces" }),
    });
    await res.text();
    if (![...cookies.keys()].some((k) => k.includes("session-token"))) throw new Error(`sign-in as ${email} failed (HTTP ${res.status})`);
  };
  return { call, mutation, signIn, cookies };
};

/**
 * Seeds `workspaces` workspaces of `users` users, signs each in and returns their sessions
 * (see run.mjs's header, step 4); waits until the seeded documents are indexed.
 */
export const seed = async ({ appUrl, databaseUrl }, mock, { workspaces, users, password = SEED_PASSWORD }) => {
  const [{ PrismaClient }, { PrismaPg }, { pgConfigFromUrl }, { hashPassword }] = await Promise.all([
    import("../../src/server/db/generated/client.ts"),
    import("@prisma/adapter-pg"),
    import("../../src/server/db/pg-config.ts"),
    import("../../src/server/infra/password.ts"),
  ]);
  const db = new PrismaClient({ adapter: new PrismaPg(pgConfigFromUrl(databaseUrl)) });
  const sessions = [];
  try {
    const passwordHash = await hashPassword(password);
    for (let w = 1; w <= workspaces; w++) {
      const emails = Array.from({ length: users }, (_, i) => `w${w}-u${i + 1}@load.example.com`);
      const ids = [];
      for (const [i, email] of emails.entries()) {
        const u = await db.user.create({ data: { email, name: `Load user ${w}.${i + 1}`, passwordHash, emailVerified: new Date(), locale: "en" }, select: { id: true } });
        ids.push(u.id);
      }
      const owner = httpUser(appUrl, password);
      await owner.signIn(emails[0]);
      const tenant = await owner.mutation("tenant.create", { name: `Load Workspace ${w}` });
      await owner.mutation("provider.create", { tenantSlug: tenant.slug, provider: "openai-compatible", label: "Load-test mock", apiKey: "sk-load-0000000000", baseUrl: mock.url, defaultModel: "load-model" });
      const tenantRow = await db.tenant.findUniqueOrThrow({ where: { slug: tenant.slug }, select: { id: true } });
      await db.membership.createMany({ data: ids.slice(1).map((userId) => ({ tenantId: tenantRow.id, userId, role: "MEMBER" })) });
      // A workspace in use has documents: chat, meetings and tasks search them.
      for (let d = 1; d <= 3; d++) {
        const res = await owner.call(`/api/t/${tenant.slug}/documents`, {
          method: "POST",
          headers: { origin: appUrl, "content-type": "application/octet-stream", "x-filename": `handbook-${w}-${d}.pdf` },
          body: makePdf(`seed-${w}-${d}`),
        });
        if (res.status !== 201) throw new Error(`seed upload: HTTP ${res.status} ${await res.text()}`);
        await res.text();
      }
      sessions.push({ email: emails[0], tenant: tenant.slug, role: "OWNER", cookies: Object.fromEntries(owner.cookies) });
      for (const email of emails.slice(1)) {
        const member = httpUser(appUrl, password);
        await member.signIn(email);
        sessions.push({ email, tenant: tenant.slug, role: "MEMBER", cookies: Object.fromEntries(member.cookies) });
      }
    }
    // The seeded documents are indexed before the scenarios start.
    const deadline = Date.now() + 180_000;
    for (;;) {
      const pending = await db.document.count({ where: { status: { in: ["queued", "processing"] } } });
      const failed = await db.document.count({ where: { status: "failed" } });
      if (failed) throw new Error(`${failed} seeded documents failed to ingest`);
      if (pending === 0) break;
      if (Date.now() > deadline) throw new Error(`${pending} seeded documents still not ready after 3 minutes`);
      await sleep(500);
    }
  } finally {
    await db.$disconnect();
  }
  return sessions;
};

