import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "~/server/db/client";
import { runOf, startExecutor } from "../inngest/local/testing/harness";
import { startOtlpReceiver, type OtlpReceiver } from "./support/otlp-receiver";

// The worker fleet process (scripts/worker.ts) as it runs in production: its
// job spans reach an OTLP receiver under service "ocsuite-worker", parented on
// the traceparent the sender put in the event.

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
let exec: Awaited<ReturnType<typeof startExecutor>>;
let receiver: OtlpReceiver;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const [workerPort, execPort] = [await freePort(), await freePort()];
  exec = await startExecutor({ db, port: execPort });
  worker = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/worker.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      WORKER_PORT: String(workerPort),
      WORKER_HOST: "127.0.0.1",
      INNGEST_DEV: exec.url,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url.replace("/v1/traces", ""),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    let out = "";
    worker.stdout!.on("data", (d) => {
      out += String(d);
      if (out.includes("worker:")) resolve();
    });
    worker.stderr!.on("data", (d) => (out += String(d)));
    worker.on("exit", (code) => reject(new Error(`exit ${code}\n${out}`)));
  });
  await exec.executor.sync(`http://127.0.0.1:${workerPort}/api/inngest`);
}, 60_000);

afterAll(async () => {
  worker?.kill("SIGTERM");
  await exec?.close();
  await receiver?.close();
});

it("worker spans join the sender's trace", async () => {
  const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
  const parent = "00f067aa0ba902b7";
  const [eventId] = await exec.executor.send({
    name: "system/ping.requested",
    data: { pingId: `p-${Date.now()}`, tenantId: "t-trace", traceparent: `00-${traceId}-${parent}-01` },
  });
  await exec.executor.waitForRun((await runOf(db, eventId!, "ocsuite-system-heartbeat")).id);
  // SIGTERM flushes the batch span processor (tracing.shutdown()).
  worker.kill("SIGTERM");
  await new Promise((r) => worker.on("exit", r));
  const spans = receiver.spans.filter((s) => s.traceId === traceId);
  expect(spans.some((s) => s.name.startsWith("inngest.job") && s.parentSpanId === parent && s.service === "ocsuite-worker")).toBe(true);
});
