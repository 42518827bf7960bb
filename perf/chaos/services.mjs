/**
 * The chaos run's own PostgreSQL cluster and Redis, on private ports in a
 * temporary folder, so they can be stopped and started under load without
 * touching the machine's shared servers.
 *
 * PostgreSQL: the server's own binaries (PG_BIN, default the newest
 * /usr/lib/postgresql/<n>/bin); initdb refuses root, so as root the cluster
 * belongs to the `postgres` system user (runuser). restart() is a crash, not a
 * clean shutdown: `pg_ctl stop -m immediate` (every backend killed, no
 * checkpoint; the next start replays the WAL), the database down for `downMs`,
 * then started again.
 * Redis: `redis-server` without persistence (the app keeps only rate-limit
 * windows there); restart() kills it (SIGKILL) and starts a new one on the
 * same port.
 */
import { execFileSync, spawn } from "node:child_process";
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { freePort, sleep } from "../load/stack.mjs";

const pgBin = () => {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const base = "/usr/lib/postgresql";
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(path.join(base, v, "bin/pg_ctl"))) : [];
  if (!versions.length) throw new Error("no PostgreSQL server binaries found: set PG_BIN to the folder holding initdb and pg_ctl");
  return path.join(base, versions.sort((a, b) => Number(b) - Number(a))[0], "bin");
};

const asRoot = typeof process.getuid === "function" && process.getuid() === 0;
/** Runs a PostgreSQL tool as the cluster's owner. */
const pgTool = (tool, args) => {
  const bin = path.join(pgBin(), tool);
  const [cmd, a] = asRoot ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
  return execFileSync(cmd, a, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
};

export const startPostgres = async (work) => {
  const dir = path.join(work, "pg");
  const data = path.join(dir, "data");
  mkdirSync(dir, { recursive: true });
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
    // The temporary folder itself must be reachable by the cluster's owner.
    execFileSync("chmod", ["o+x", work]);
  }
  pgTool("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"]);
  const port = await freePort();
  const logFile = path.join(dir, "server.log");
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=64MB`;
  const start = () => pgTool("pg_ctl", ["-D", data, "-l", logFile, "-o", options, "-w", "-t", "60", "start"]);
  start();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const version = pgTool("postgres", ["--version"]).trim();
  return {
    url,
    port,
    version,
    /** Crash (immediate stop), keep it down for downMs, start; returns when it accepts connections again. */
    restart: async (downMs) => {
      pgTool("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      await sleep(downMs);
      start();
    },
    log: () => (existsSync(logFile) ? readFileSync(logFile, "utf8").slice(-4000) : ""),
    stop: async () => {
      try {
        pgTool("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
      } catch {
        /* already stopped */
      }
    },
  };
};

export const startRedis = async () => {
  const port = await freePort();
  let child;
  const launch = async () => {
    child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        execFileSync("redis-cli", ["-p", String(port), "ping"], { stdio: "ignore" });
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`redis-server on :${port} did not start`);
        await sleep(100);
      }
    }
  };
  const kill = () =>
    new Promise((resolve) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGKILL");
    });
  await launch();
  const version = execFileSync("redis-server", ["--version"], { encoding: "utf8" }).match(/v=(\S+)/)?.[1] ?? "?";
  return {
    url: `redis://127.0.0.1:${port}`,
    version: `Redis ${version}`,
    restart: async (downMs) => {
      await kill();
      await sleep(downMs);
      await launch();
    },
    stop: kill,
  };
};

