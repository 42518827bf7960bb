/**
 * The rotation drill's stack: a fresh database (on DRILL_DATABASE_URL /
 * TEST_DATABASE_URL's server, else embedded PGlite over TCP), migrated; the
 * local executor and a worker as real child processes, signed with a generated
 * key, exactly as `npm start` runs jobs. The worker can be killed with SIGKILL
 * and restarted with another environment (a rolling config change).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { startProcess, waitForHttp, type Proc } from "./processes";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export const freePort = async (): Promise<number> => {
  const net = await import("node:net");
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
};

const migrate = (databaseUrl: string) =>
  new Promise<void>((resolve, reject) => {
    const child = spawn(path.join(ROOT, "node_modules/.bin/prisma"), ["migrate", "deploy"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += String(d)));
    child.stderr.on("data", (d) => (out += String(d)));
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`prisma migrate deploy failed:\n${out}`))));
  });

export type DrillDatabase = { url: string; kind: string; drop: () => Promise<void> };

export const createDrillDatabase = async (): Promise<DrillDatabase> => {
  const server = process.env.DRILL_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  let db: DrillDatabase;
  if (server) {
    const name = `ocsuite_rotation_drill_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = new URL(server);
    url.pathname = `/${name}`;
    db = {
      url: url.toString(),
      kind: `PostgreSQL (${new URL(server).host})`,
      drop: async () => {
        const c = new pg.Client({ connectionString: server });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
        await c.end();
      },
    };
  } else {
    const { PGlite } = await import("@electric-sql/pglite");
    const { startPgliteServer } = await import("../lib/pglite-server.mjs");
    const lite = await PGlite.create();
    const port = await freePort();
    const srv = await startPgliteServer({ db: lite, host: "127.0.0.1", port, maxConnections: 50 });
    db = {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      kind: "embedded PGlite",
      drop: async () => {
        await srv.stop();
        await lite.close();
      },
    };
  }
  await migrate(db.url);
  return db;
};

export type Stack = {
  /** Environment shared by every process of the stack (the drill's own included). */
  env: Record<string, string>;
  startWorker: (extra?: Record<string, string | undefined>) => Promise<void>;
  killWorker: () => void;
  stopWorker: () => Promise<void>;
  stop: () => Promise<void>;
  output: () => string;
};

/** `env` carries the app's variables (master keys, timings); the stack adds the database, ports and job keys. */
export const startStack = async (databaseUrl: string, env: Record<string, string>): Promise<Stack> => {
  const [executorPort, workerPort] = [await freePort(), await freePort()];
  const signingKey = `signkey-drill-${randomBytes(32).toString("hex")}`;
  const eventKey = randomBytes(32).toString("hex");
  const shared: Record<string, string> = {
    ...env,
    DATABASE_URL: databaseUrl,
    INNGEST_SIGNING_KEY: signingKey,
    INNGEST_EVENT_KEY: eventKey,
    INNGEST_BASE_URL: `http://127.0.0.1:${executorPort}`,
  };
  const base = { ...process.env, ...shared } as NodeJS.ProcessEnv;
  delete base.INNGEST_DEV;
  let worker: Proc | undefined;
  const logs: Proc[] = [];
  const startWorker = async (extra: Record<string, string | undefined> = {}) => {
    const workerEnv: NodeJS.ProcessEnv = { ...base, ...extra, WORKER_PORT: String(workerPort), WORKER_HOST: "127.0.0.1", OTEL_SERVICE_NAME: "ocsuite-worker" };
    worker = startProcess("worker", process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/worker.ts"], { cwd: ROOT, env: workerEnv });
    logs.push(worker);
    await waitForHttp(`http://127.0.0.1:${workerPort}/healthz`, 60_000);
  };
  await startWorker();
  const executor = startProcess("executor", process.execPath, ["--import", "tsx", "inngest/local/main.ts"], {
    cwd: ROOT,
    env: {
      ...base,
      INNGEST_LOCAL_PORT: String(executorPort),
      INNGEST_APP_URL: `http://127.0.0.1:${workerPort}/api/inngest`,
      INNGEST_LOCAL_EVENT_KEY: eventKey,
      // Fast retries: a killed worker's call is retried within a second of its restart.
      INNGEST_LOCAL_BACKOFF_MS: "250",
    },
  });
  logs.push(executor);
  await waitForHttp(`http://127.0.0.1:${executorPort}/health`, 60_000);
  return {
    env: shared,
    startWorker,
    killWorker: () => worker?.child.kill("SIGKILL"),
    stopWorker: async () => worker?.stop(),
    stop: async () => {
      await worker?.stop();
      await executor.stop();
    },
    output: () => logs.map((p) => `--- ${p.name}\n${p.output().slice(-6000)}`).join("\n"),
  };
};
