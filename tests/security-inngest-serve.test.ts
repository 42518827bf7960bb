/**
 * The job endpoint as npm start configures it (scripts/lib/jobs-env.mjs): the
 * real serve handler (src/app/api/inngest/route.ts) over real HTTP, driven by the
 * local executor with the generated signing key. Anonymous callers must not run a
 * step (POST), re-register the app (PUT) or learn its configuration (GET); the
 * executor, signing, still syncs and runs jobs, and events still reach it.
 */
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { createServer as createNetServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localJobsEnv } from "../scripts/lib/jobs-env.mjs";
import type { runOf as RunOf, startExecutor } from "../inngest/local/testing/harness";
import type { db as Db } from "~/server/db/client";

const dataDir = mkdtempSync(path.join(os.tmpdir(), "ocsuite-jobs-env-"));
let exec: Awaited<ReturnType<typeof startExecutor>>;
let appUrl: string;
let closeApp: () => Promise<void>;
let jobs: ReturnType<typeof localJobsEnv>;
// App modules load only after the environment is set (src/env.js reads it once), as in the npm start process.
let db: typeof Db;
let runOf: typeof RunOf;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createNetServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

beforeAll(async () => {
  const execPort = await freePort();
  jobs = localJobsEnv({ dataDir, executorUrl: `http://127.0.0.1:${execPort}` });
  // The app process's environment as npm start passes it.
  for (const [k, v] of Object.entries(jobs.app)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  ({ db } = await import("~/server/db/client"));
  const harness = await import("../inngest/local/testing/harness");
  runOf = harness.runOf;
  const { listenLocal, readBodyBytes } = await import("./support/mock-http");
  exec = await harness.startExecutor({ db, port: execPort, signingKey: jobs.executor.INNGEST_SIGNING_KEY, eventKey: jobs.executor.INNGEST_LOCAL_EVENT_KEY });
  const route = await import("~/app/api/inngest/route");
  const handlers = { GET: route.GET, POST: route.POST, PUT: route.PUT } as unknown as Record<string, (req: Request, ctx: unknown) => Promise<Response>>;
  const server = createServer(async (req, res) => {
    const body = req.method === "GET" ? undefined : await readBodyBytes(req);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const handler = handlers[req.method ?? ""];
    if (!handler) return void res.writeHead(405).end();
    const out = await handler(new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers, body: body ? new Uint8Array(body) : undefined }), {});
    res.writeHead(out.status, Object.fromEntries(out.headers));
    res.end(Buffer.from(await out.arrayBuffer()));
  });
  const listening = await listenLocal(server);
  appUrl = `${listening.origin}/api/inngest`;
  closeApp = listening.close;
  await exec.executor.sync(appUrl);
}, 60_000);

afterAll(async () => {
  await exec?.close();
  await closeApp?.();
});

describe("the job endpoint under npm start", () => {
  it("keeps the generated keys in the data folder, owner-only, and reuses them", () => {
    const file = path.join(dataDir, "inngest-signing-key");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8").trim()).toBe(jobs.app.INNGEST_SIGNING_KEY);
    expect(localJobsEnv({ dataDir, executorUrl: exec.url }).app.INNGEST_SIGNING_KEY).toBe(jobs.app.INNGEST_SIGNING_KEY);
    expect(jobs.app.INNGEST_DEV).toBeUndefined();
  });

  it("refuses an unsigned call request (anyone could run a step with a tenant id of their choice)", async () => {
    const res = await fetch(`${appUrl}?fnId=ocsuite-system-heartbeat&stepId=step`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ event: { name: "system/ping.requested", data: { pingId: "anon", tenantId: "victim" } }, events: [], steps: {}, ctx: { run_id: "r", attempt: 0, stack: { stack: [] } }, version: 2 }),
    });
    expect(res.status).toBe(401);
    expect(await db.jobHeartbeat.findUnique({ where: { pingId: "anon" } })).toBeNull();
  });

  it("refuses an unsigned sync", async () => {
    const res = await fetch(appUrl, { method: "PUT", headers: { "x-inngest-sync-kind": "in_band", "content-type": "application/json" }, body: JSON.stringify({ url: "http://evil.example/api/inngest" }) });
    expect(res.status).toBe(401);
  });

  it("tells an anonymous GET nothing about its mode or functions", async () => {
    const res = await fetch(appUrl);
    const text = await res.text();
    expect(text).not.toMatch(/"mode"|function_count|has_event_key|has_signing_key|ocsuite-system-heartbeat/);
  });

  it("the signing executor still runs jobs, and the app's events reach it", async () => {
    const { inngest } = await import("~/server/events/client");
    const pingId = `signed-${Date.now()}`;
    const { ids } = await inngest.send({ name: "system/ping.requested", data: { pingId, tenantId: "t-signed" } });
    const run = await exec.executor.waitForRun((await runOf(db, ids[0]!, "ocsuite-system-heartbeat")).id);
    expect(run).toMatchObject({ status: "COMPLETED", output: { pingId, beats: 1 } });
  });
});
