/**
 * Durability: the executor runs in a child process that is SIGKILLed while a
 * step is in flight; a fresh process resumes the run from Postgres. Steps
 * recorded as done never run again; the in-flight step runs again
 * (at-least-once), and the run completes.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { db } from "~/server/db/client";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
});

const startChild = (env: Record<string, string>) =>
  new Promise<ChildProcess>((resolve, reject) => {
    // `node --import tsx` (not the tsx CLI, which forks a second process) so SIGKILL hits the executor itself.
    const child = spawn(process.execPath, ["--import", "tsx", "inngest/local/testing/crash-child.ts"], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let out = "";
    child.stdout!.on("data", (d) => {
      out += String(d);
      if (out.includes("READY")) resolve(child);
    });
    child.stderr!.on("data", (d) => (out += String(d)));
    child.on("exit", (code) => reject(new Error(`child exited (${code}) before READY:\n${out}`)));
  });

const beats = async (pingId: string) => (await db.jobHeartbeat.findUnique({ where: { pingId } }))?.beats ?? 0;
const until = async (fn: () => Promise<boolean>, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 25));
  }
};

it("resumes a run after the executor is SIGKILLed mid-step; completed steps run once", async () => {
  const [appPort, execPort] = [await freePort(), await freePort()];
  const k = Math.random().toString(36).slice(2, 10);
  const env = { APP_PORT: String(appPort), EXEC_PORT: String(execPort), LEASE_MS: "1000", DATABASE_URL: process.env.DATABASE_URL! };

  const first = await startChild({ ...env, SLOW_MS: "30000" });
  const res = await fetch(`http://127.0.0.1:${execPort}/e/test`, { method: "POST", body: JSON.stringify({ name: "t/crash", data: { k } }) });
  const { ids } = (await res.json()) as { ids: string[] };
  await until(async () => (await beats(`${k}:slow`)) === 1);
  first.kill("SIGKILL");
  await new Promise((r) => first.once("exit", r));

  const run = await db.inngestRun.findFirstOrThrow({ where: { eventId: ids[0] } });
  expect(run.status).toBe("RUNNING");
  expect(await db.inngestStep.count({ where: { runId: run.id } })).toBe(1); // "effect" is memoized

  await startChild({ ...env, SLOW_MS: "50" });
  await until(async () => (await db.inngestRun.findUniqueOrThrow({ where: { id: run.id } })).status === "COMPLETED");

  expect(await beats(`${k}:effect`)).toBe(1); // recorded as done before the crash: never again
  expect(await beats(`${k}:slow`)).toBe(2); // in flight at the crash: at-least-once
  expect(await beats(`${k}:after`)).toBe(1);
  expect((await db.inngestRun.findUniqueOrThrow({ where: { id: run.id } })).output).toBe("done");
}, 60_000);
