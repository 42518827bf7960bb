/**
 * The worker fleet process (scripts/worker.ts) serving the app's real functions
 * (inngest/functions.ts, the app's client and services), driven by the local
 * executor: sync, ping → heartbeat, and a dead-letter replay whose
 * step.sendEvent reaches the executor through INNGEST_DEV.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/server/db/client";
import { runOf, startExecutor } from "./local/testing/harness";

const ROOT = path.resolve(import.meta.dirname, "..");
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

let worker: ChildProcess;
let workerUrl: string;
const METRICS_TOKEN = `worker-metrics-${Date.now()}`;
let exec: Awaited<ReturnType<typeof startExecutor>>;

beforeAll(async () => {
  const [workerPort, execPort] = [await freePort(), await freePort()];
  exec = await startExecutor({ db, port: execPort });
  worker = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/worker.ts"], {
    cwd: ROOT,
    env: { ...process.env, WORKER_PORT: String(workerPort), WORKER_HOST: "127.0.0.1", INNGEST_DEV: exec.url, METRICS_TOKEN },
    stdio: ["ignore", "pipe", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    let out = "";
    worker.stdout!.on("data", (d) => {
      out += String(d);
      if (out.includes("worker:")) resolve();
    });
    worker.stderr!.on("data", (d) => (out += String(d)));
    worker.on("exit", (code) => reject(new Error(`worker exited (${code}):\n${out}`)));
  });
  workerUrl = `http://127.0.0.1:${workerPort}`;
  await exec.executor.sync(`${workerUrl}/api/inngest`);
}, 60_000);

afterAll(async () => {
  worker?.kill("SIGTERM");
  await exec?.close();
});

describe("worker (scripts/worker.ts) driven by the local executor", () => {
  it("exposes the app's functions for sync", () => {
    // (the shared test database also holds apps synced by other test files)
    const ours = exec.executor.functions().filter((f) => f.id.startsWith("ocsuite-"));
    expect(ours.map((f) => f.id).sort()).toEqual([
      "ocsuite-jobs-replay-dead-letter",
      "ocsuite-knowledge-ingest-document",
      "ocsuite-knowledge-ingest-document-failure",
      "ocsuite-privacy-data-export",
      "ocsuite-privacy-data-export-failure",
      "ocsuite-privacy-expire-data-exports",
      "ocsuite-privacy-retention-purge",
      "ocsuite-privacy-scheduled-retention-purge",
      "ocsuite-privacy-scheduled-workspace-purge",
      "ocsuite-privacy-workspace-purge",
      "ocsuite-run-meeting",
      "ocsuite-run-meeting-failure",
      "ocsuite-security-rotate-data-key",
      "ocsuite-security-rotate-data-key-failure",
      "ocsuite-security-rotate-master-key",
      "ocsuite-security-rotate-master-key-failure",
      "ocsuite-security-scheduled-key-rotation",
      "ocsuite-system-heartbeat",
      "ocsuite-tasks-run-task",
      "ocsuite-tasks-run-task-failure",
    ]); // onFailure is its own function
  });

  it("runs system/heartbeat for a ping", async () => {
    const pingId = `worker-${Date.now()}`;
    const [eventId] = await exec.executor.send({ name: "system/ping.requested", data: { pingId, tenantId: "t-worker" } });
    const run = await exec.executor.waitForRun((await runOf(db, eventId!, "ocsuite-system-heartbeat")).id);
    expect(run).toMatchObject({ status: "COMPLETED", output: { pingId, beats: 1 }, tenantId: "t-worker" });
  });

  it("serves its job metrics at GET /metrics behind METRICS_TOKEN (Prometheus text)", async () => {
    expect((await fetch(`${workerUrl}/metrics`)).status).toBe(401);
    expect((await fetch(`${workerUrl}/metrics`, { headers: { authorization: "Bearer wrong-token-0000000000" } })).status).toBe(401);
    const res = await fetch(`${workerUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    // The heartbeat run above was served (and measured) by the worker process.
    expect(text).toMatch(/^ocsuite_job_runs_total\{messaging_destination_name="ocsuite-system-heartbeat",ocsuite_outcome="completed"\} [1-9]/m);
    expect(text).toMatch(/^messaging_process_duration_count\{[^}]*messaging_destination_name="ocsuite-system-heartbeat"/m);
    expect(text).toMatch(/^target_info\{[^}]*service_name="ocsuite-worker"/m);
  });

  it("replays a dead letter: its original event is sent again and runs", async () => {
    const pingId = `replayed-${Date.now()}`;
    const dl = await db.inngestDeadLetter.create({
      data: {
        functionId: "ocsuite-system-heartbeat",
        runId: `dead-${pingId}`,
        eventId: `evt-${pingId}`,
        eventName: "system/ping.requested",
        event: { name: "system/ping.requested", data: { pingId }, id: `evt-${pingId}`, ts: Date.now() },
        errorName: "Error",
        errorMessage: "boom",
        error: { name: "Error", message: "boom" },
        attempts: 4,
      },
    });
    const [eventId] = await exec.executor.send({ name: "jobs/dead-letter.replayed", data: { deadLetterId: dl.id } });
    const replay = await exec.executor.waitForRun((await runOf(db, eventId!, "ocsuite-jobs-replay-dead-letter")).id);
    expect(replay.status).toBe("COMPLETED");
    const heartbeat = await runOf(db, "", "ocsuite-system-heartbeat", 10_000, { path: ["data", "pingId"], equals: pingId });
    expect((await exec.executor.waitForRun(heartbeat.id)).output).toEqual({ pingId, beats: 1 });
    expect((await db.inngestDeadLetter.findUniqueOrThrow({ where: { id: dl.id } })).replayedAt).not.toBeNull();
  });
});
